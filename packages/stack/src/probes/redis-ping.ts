import { tcpExchange } from "./tcp-exchange.ts";

/** Resolves when the Redis server on `port` answers PING with PONG. */
export async function redisPing(port: number): Promise<void> {
  const reply = await tcpExchange({ port, send: "PING\r\n", complete: (r) => r.includes("\r\n") });
  if (!reply.startsWith("+PONG")) throw new Error(`redis on port ${port} answered ${JSON.stringify(reply.trim())}`);
}
