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

/** How long a connection may take at each stage before it is closed; every one is required. */
export interface ConnectionTimeouts {
  /** Until the first bytes tell the protocol, and for HTTP/2 until the client's SETTINGS arrive. */
  firstBytesTimeoutMs: number;
  /** HTTP/1.1: until a request's headers are complete. */
  headersTimeoutMs: number;
  /** HTTP/2: a connection with no open stream for this long gets GOAWAY. */
  idleTimeoutMs: number;
}

// Every HTTP/2 connection without TLS opens with this preface; no HTTP/1.x
// request line starts with "PRI".
const http2Preface = Buffer.from("PRI * HTTP/2.0");
// Streams one HTTP/2 connection may have open at once (nginx allows 128).
const maxConcurrentStreams = 100;

function requireTimeouts(timeouts: ConnectionTimeouts): void {
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`createDualProtocolServer: ${name} must be a positive integer of milliseconds, got ${value}`);
  }
}

/** Closes a session that has no open stream for `idleMs`; long-lived streams (WatchVideo) keep it open. */
function closeWhenIdle(session: Http2Session, idleMs: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => session.close(), idleMs);
    timer.unref();
  };
  session.on("stream", (stream) => {
    open++;
    clearTimeout(timer);
    stream.once("close", () => {
      if (--open === 0 && !session.closed) arm();
    });
  });
  session.once("close", () => clearTimeout(timer));
  arm();
}

/**
 * One cleartext port for HTTP/1.1 (Connect, gRPC-Web, tus, HLS, curl) and
 * HTTP/2 with prior knowledge (gRPC clients, Connect over h2c): each new
 * connection is routed by its first bytes. No stage of a connection waits on
 * the client forever (see ConnectionTimeouts); request bodies are watched by
 * the handler (body-watchdog.ts).
 */
export function createDualProtocolServer(handler: UniversalHandler, timeouts: ConnectionTimeouts): DualProtocolServer {
  requireTimeouts(timeouts);
  const http1 = createHttp1Server(
    {
      keepAliveTimeout: 5000,
      headersTimeout: timeouts.headersTimeoutMs,
      // Slow bodies are the watchdog's: a whole-request deadline would cut a long, healthy upload.
      requestTimeout: 0,
      // How often headersTimeout is checked; Node's default (30 s) would let it overrun that much.
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    handler as (req: IncomingMessage, res: ServerResponse) => void,
  );
  const http2 = createHttp2Server({ settings: { maxConcurrentStreams } }, handler as (req: Http2ServerRequest, res: Http2ServerResponse) => void);
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  http2.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    closeWhenIdle(session, timeouts.idleTimeoutMs);
  });

  const net = createNetServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // Cleared once HTTP/1.1 has the connection (its headersTimeout takes over) or HTTP/2 has the client's settings.
    const firstBytes = setTimeout(() => socket.destroy(), timeouts.firstBytesTimeoutMs);
    firstBytes.unref();
    socket.once("close", () => clearTimeout(firstBytes));
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
      if (target === http1) clearTimeout(firstBytes);
      else http2.once("session", (session: Http2Session) => session.once("remoteSettings", () => clearTimeout(firstBytes)));
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
        net.listen(port, host, () => {
          // http1 never listens itself; "listening" is what starts its headersTimeout checks.
          http1.emit("listening");
          resolve((net.address() as AddressInfo).port);
        });
      }),
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        net.close(() => resolve());
        // Stops http1's connection checks and closes its idle keep-alive connections; it was never bound, so the error is expected.
        http1.close(() => {});
        for (const session of sessions) session.close();
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        timer.unref();
        if (sockets.size === 0) clearTimeout(timer);
      }),
  };
}
