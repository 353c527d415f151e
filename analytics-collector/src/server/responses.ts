import type { HttpResponse } from "@trufflesuite/uws-js-unofficial";

const statusText: Record<number, string> = {
  200: "200 OK",
  204: "204 No Content",
  400: "400 Bad Request",
  403: "403 Forbidden",
  404: "404 Not Found",
  413: "413 Payload Too Large",
  415: "415 Unsupported Media Type",
  500: "500 Internal Server Error",
  503: "503 Service Unavailable",
};

export interface Reply {
  status: number;
  headers?: [string, string][];
  body?: string | Uint8Array;
  /** Close the connection after answering, e.g. when the rest of the body is not read. */
  close?: boolean;
}

/** Writes a whole response; inside cork() when called after an await. */
export function send(res: HttpResponse, reply: Reply): void {
  res.writeStatus(statusText[reply.status] ?? `${reply.status} Unknown`);
  for (const [key, value] of reply.headers ?? []) res.writeHeader(key, value);
  res.end(reply.body ?? "", reply.close ?? false);
}

export function jsonReply(status: number, value: unknown, headers: [string, string][] = []): Reply {
  return { status, headers: [["Content-Type", "application/json"], ...headers], body: JSON.stringify(value) };
}

/** The body of every 4xx/5xx: a stable code and a message that names what was wrong. */
export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}): unknown {
  return { error: { code, message }, ...extra };
}
