import { Events, type NatsConnection } from "nats";
import type { Logger } from "@kino/platform";

/** Whether the NATS connection is up right now, read synchronously on every request. */
export interface ConnectionState {
  readonly connected: boolean;
}

/**
 * Follows the connection's status events. While it is down, nats.js would
 * queue publishes in its reconnect buffer, outside the publisher's
 * maxPendingBytes, and send them on reconnect: batches stored after their
 * request had timed out with a 503.
 */
export function watchConnection(nc: NatsConnection, logger: Logger): ConnectionState {
  const state = { connected: !nc.isClosed() };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        state.connected = false;
        logger.warn({ server: status.data }, "lost the NATS connection: beacons are refused with 503 until it is back");
      } else if (status.type === Events.Reconnect) {
        state.connected = true;
        logger.info({ server: status.data }, "NATS connection is back");
      }
    }
    state.connected = false;
  })();
  return state;
}
