import { connect } from "node:net";

export interface TcpExchange {
  port: number;
  host?: string;
  /** Written once connected. */
  send?: string;
  /** True once enough of the reply has arrived. */
  complete(received: string): boolean;
  timeoutMs?: number;
}

/** Connects, optionally sends a line, and returns the reply once `complete` says so. */
export function tcpExchange(exchange: TcpExchange): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: exchange.port, host: exchange.host ?? "127.0.0.1" });
    let received = "";
    socket.setEncoding("utf8");
    socket.setTimeout(exchange.timeoutMs ?? 2_000, () => socket.destroy(new Error(`no reply from port ${exchange.port}`)));
    socket.once("connect", () => {
      if (exchange.send) socket.write(exchange.send);
    });
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (exchange.complete(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`port ${exchange.port} closed the connection`)));
  });
}
