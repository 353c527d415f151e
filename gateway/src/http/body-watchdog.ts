import type { GatewayRequest, GatewayResponse } from "./http-route.ts";

export interface BodyRateRule {
  minBytesPerSecond: number;
  windowMs: number;
}

/**
 * Whether a body may follow the headers: an HTTP/1.x request has one only
 * with Content-Length or Transfer-Encoding (RFC 9112 §6.3), so a player's
 * GET needs no watchdog; an HTTP/2 stream may always carry DATA.
 */
export function mayHaveBody(req: GatewayRequest): boolean {
  if (req.httpVersionMajor !== 1) return true;
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Cuts a request whose body trickles in: each window must bring at least
 * minBytesPerSecond × window bytes, so a client sending a byte a second
 * cannot hold a connection (and an upload slot) for hours, while a slow but
 * live phone upload passes. Bytes are counted on the socket, so nothing has to
 * listen to the body; a window where the handler itself was not reading
 * (bytes waiting in the request's buffer) never counts against the client.
 *
 * The answer is 408 and the connection (HTTP/1.1) or stream (HTTP/2) is
 * closed; what arrived before stays with the handler, so a tus upload keeps
 * its offset and resumes.
 */
export function watchRequestBody(req: GatewayRequest, res: GatewayResponse, rule: BodyRateRule, onCut: () => void): void {
  if (req.complete) return;
  const socket = req.socket;
  const minBytes = Math.ceil((rule.minBytesPerSecond * rule.windowMs) / 1000);
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete || res.writableEnded) return stop();
    const now = socket.bytesRead;
    const arrived = now - seen;
    seen = now;
    if (arrived >= minBytes || req.readableLength > 0) return;
    stop();
    onCut();
    cut(req, res, rule);
  }, rule.windowMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  res.once("close", stop);
}

function cut(req: GatewayRequest, res: GatewayResponse, rule: BodyRateRule): void {
  if (!res.headersSent) {
    const message = `the request body arrived slower than ${rule.minBytesPerSecond} bytes/s over ${rule.windowMs / 1000} s; resume or retry it\n`;
    res.writeHead(408, { "content-type": "text/plain; charset=utf-8", ...(req.httpVersionMajor === 1 ? { connection: "close" } : {}) });
    res.end(message);
  }
  // The rest of the body will not be read: end the connection (HTTP/1.1) or the stream (HTTP/2) once the answer is out.
  const close = () => ("stream" in req ? req.stream.close() : req.socket.destroy());
  if (res.writableFinished) close();
  else res.once("finish", close);
  setTimeout(close, 1000).unref();
}
