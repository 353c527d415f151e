import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from "node:http2";
import { createServer as createNetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type UniversalHandler = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) => void;

export interface DualProtocolServer {
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts what is left. */
  close(graceMs: number): Promise<void>;
}

// Every HTTP/2 connection without TLS opens with this preface; no HTTP/1.x
// request line starts with "PRI".
const http2Preface = Buffer.from("PRI * HTTP/2.0");

/**
 * One cleartext port for HTTP/1.1 (Connect, gRPC-Web, tus, HLS, curl) and
 * HTTP/2 with prior knowledge (gRPC clients, Connect over h2c): each new
 * connection is routed by its first bytes.
 */
export function createDualProtocolServer(handler: UniversalHandler): DualProtocolServer {
  const http1 = createHttp1Server({ keepAliveTimeout: 5000 }, handler as (req: IncomingMessage, res: ServerResponse) => void);
  const http2 = createHttp2Server({}, handler as (req: Http2ServerRequest, res: Http2ServerResponse) => void);
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  http2.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  const net = createNetServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    let head = Buffer.alloc(0);
    const route = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const probe = head.subarray(0, Math.min(head.length, http2Preface.length));
      if (!http2Preface.subarray(0, probe.length).equals(probe)) return dispatch(http1);
      if (head.length >= http2Preface.length) return dispatch(http2);
      socket.once("data", route);
    };
    const dispatch = (target: typeof http1 | typeof http2) => {
      socket.pause();
      socket.unshift(head);
      target.emit("connection", socket);
      process.nextTick(() => socket.resume());
    };
    socket.once("data", route);
    socket.on("error", () => socket.destroy());
  });

  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        net.once("error", reject);
        net.listen(port, host, () => resolve((net.address() as AddressInfo).port));
      }),
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        net.close(() => resolve());
        http1.closeIdleConnections();
        for (const session of sessions) session.close();
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        timer.unref();
        if (sockets.size === 0) clearTimeout(timer);
      }),
  };
}
