import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { GatewayResponse } from "../http/http-route.ts";

/** Answers a tus request directly, outside @tus/server; `body` is a sentence for a person. */
export function sendTusResponse(res: GatewayResponse, status: number, body?: string, headers: OutgoingHttpHeaders = {}): void {
  const text = body === undefined ? "" : `${body}\n`;
  const head = { "Tus-Resumable": "1.0.0", "Cache-Control": "no-store", ...headers };
  const http1 = res as ServerResponse;
  if (text === "" || http1.req?.method === "HEAD") {
    http1.writeHead(status, head);
    http1.end();
    return;
  }
  http1.writeHead(status, { ...head, "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  http1.end(text);
}
