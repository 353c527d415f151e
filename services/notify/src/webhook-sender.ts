import http from "node:http";
import https from "node:https";
import { KinoError } from "@kino/platform";
import { signatureHeader, signKinoWebhook } from "@kino/webhooks";
import type { AddressGuard } from "./host-resolver.ts";

export interface WebhookRequest {
  url: string;
  body: string;
  secret: string;
  eventId: string;
  deliveryId: string;
}

export interface AttemptOutcome {
  ok: boolean;
  /** 0 when nothing answered. */
  responseCode: number;
  latencyMs: number;
  /** Empty when ok. */
  error: string;
}

export type WebhookSender = (request: WebhookRequest) => Promise<AttemptOutcome>;

// Whatever the receiver answers is read up to this much, then dropped: only its status counts.
const maxResponseBytes = 64 * 1024;

/**
 * POSTs one signed delivery. The connection goes only to addresses the
 * guard vetted when it connects (so a name that resolved to a public
 * address at creation and to a private one now is refused), redirects are
 * not followed, and connecting plus the answer's headers must fit in
 * `timeoutMs`. Never throws: every failure is an outcome for the log.
 */
export function createWebhookSender(options: { guard: AddressGuard; timeoutMs: number; now?: () => Date }): WebhookSender {
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(request.url);
    try {
      // An IP literal is never looked up, so it is checked here; names are checked by the lookup.
      await options.guard.resolve(url.hostname);
    } catch (error) {
      return { ok: false, responseCode: 0, latencyMs: elapsed(), error: messageOf(error) };
    }
    const body = Buffer.from(request.body, "utf8");
    const timestamp = Math.floor(now().getTime() / 1000);
    return new Promise<AttemptOutcome>((resolve) => {
      const settle = (outcome: AttemptOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      const client = url.protocol === "https:" ? https : http;
      const req = client.request(url, {
        method: "POST",
        // A fresh connection per attempt: a kept-alive socket would skip the address check.
        agent: false,
        lookup: options.guard.lookup,
        headers: {
          "content-type": "application/json",
          "content-length": String(body.length),
          "user-agent": "Kino-Webhooks/1",
          [signatureHeader]: signKinoWebhook(body, request.secret, timestamp),
          "kino-event-id": request.eventId,
          "kino-delivery-id": request.deliveryId,
        },
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`timed out after ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      req.on("response", (res) => {
        const latencyMs = elapsed();
        const code = res.statusCode ?? 0;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxResponseBytes) res.destroy();
        });
        res.on("error", () => undefined);
        const ok = code >= 200 && code < 300;
        const redirect = code >= 300 && code < 400 ? " (redirects are not followed)" : "";
        settle({ ok, responseCode: code, latencyMs, error: ok ? "" : `answered ${code}${redirect}` });
        res.resume();
      });
      req.on("error", (error) => settle({ ok: false, responseCode: 0, latencyMs: elapsed(), error: messageOf(error) }));
      req.end(body);
    });
  };
}

function messageOf(error: unknown): string {
  if (KinoError.is(error)) return error.message;
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Error text of the socket layer can be long; a log line is enough.
  return (code && !message.includes(code) ? `${code}: ${message}` : message).slice(0, 300);
}
