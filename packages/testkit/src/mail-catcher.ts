import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  /** Envelope recipients. */
  to: string[];
  from: string;
  subject: string;
  /** The message body, quoted-printable decoded. */
  text: string;
  /** The message as it arrived, headers included. */
  raw: string;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, for KINO_SMTP_URL. */
  url: string;
  messages: CaughtMail[];
  /** The next message to `address` not returned before, waiting up to `timeoutMs` for it. */
  next(address: string, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(body: string): string {
  return body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function parse(raw: string, to: string[], from: string): CaughtMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1] ?? "";
  const quoted = /quoted-printable/i.test(header("Content-Transfer-Encoding"));
  return { to, from, subject: header("Subject"), text: quoted ? decodeQuotedPrintable(body) : body, raw };
}

export interface MailCatcherOptions {
  /** 0 (a free port) by default. */
  port?: number;
  /** Called with each message as it arrives, e.g. to keep it on disk. */
  onMessage?(mail: CaughtMail): void;
}

/**
 * A real SMTP server on a loopback port that keeps every message, so tests
 * (and `kino up`'s local inbox) read the mail a service sent (no TLS, no
 * AUTH: loopback only).
 */
export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const mail = parse(Buffer.concat(chunks).toString("utf8"), to, from);
        messages.push(mail);
        options.onMessage?.(mail);
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server.server, "listening");
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async next(address, timeoutMs = 5000) {
      const wanted = address.toLowerCase();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => !taken.has(m) && m.to.includes(wanted));
        if (found) {
          taken.add(found);
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
