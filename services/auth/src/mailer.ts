import type { Logger } from "@kino/platform";
import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /**
   * Sends in the background: the caller answers at once, so how long an
   * answer takes does not tell whether a mail went out (and thus whether
   * the email has an account). A failure is logged.
   */
  send(mail: OutgoingMail): void;
  /** Waits for mail under way, then closes the connection. */
  close(): Promise<void>;
}

export function createMailer(options: { smtpUrl: string; from: string; logger: Logger }): Mailer {
  const transport = nodemailer.createTransport(options.smtpUrl);
  const pending = new Set<Promise<void>>();
  return {
    send(mail) {
      const sending = transport
        .sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text })
        .then(
          () => options.logger.info({ subject: mail.subject }, "mail sent"),
          // The error alone: the message body holds a code.
          (error: unknown) => options.logger.error({ err: error, subject: mail.subject }, "mail not sent"),
        )
        .finally(() => pending.delete(sending));
      pending.add(sending);
    },
    async close() {
      await Promise.allSettled([...pending]);
      transport.close();
    },
  };
}
