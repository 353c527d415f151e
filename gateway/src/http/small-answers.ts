import type { GatewayRequest, GatewayResponse } from "./http-route.ts";

/** A short plain-text answer, never stored by a cache. */
export function answerText(res: GatewayResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(`${message}\n`);
}

export function answerJson(res: GatewayResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The whole body, or undefined as soon as it (or its declared length) passes maxBytes: nothing past the limit is buffered. */
export async function readLimitedBody(req: GatewayRequest, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
