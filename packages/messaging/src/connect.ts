import { connect, type NatsConnection } from "nats";
import type { Logger } from "@kino/platform";
import { KinoError } from "@kino/platform";

export interface ConnectNatsOptions {
  url: string;
  /** Shown in the server's connection list. */
  name: string;
  logger: Logger;
  /** How long the first connection may take before giving up. */
  timeoutMs?: number;
}

/**
 * Connects and keeps reconnecting forever: a NATS restart must not take a
 * Kino process down. Status changes are logged.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers: options.url,
      name: options.name,
      timeout: options.timeoutMs ?? 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: false,
    });
  } catch (error) {
    throw new KinoError("unavailable", `cannot connect to NATS at ${options.url}`, { cause: error });
  }
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === "pingTimer") continue;
      const level = status.type === "disconnect" || status.type === "error" ? "warn" : "info";
      options.logger[level]({ nats: status.type, data: String(status.data) }, "nats status");
    }
  })();
  return connection;
}
