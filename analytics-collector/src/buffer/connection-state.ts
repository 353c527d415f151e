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
 * request had timed out with a 503. After a reconnect, `onReconnect` runs
 * before later status events are read: a server that came back without its
 * store needs the stream and the sink's consumer again.
 */
export function watchConnection(nc: NatsConnection, logger: Logger, onReconnect: () => Promise<void>): ConnectionState {
  const state = { connected: !nc.isClosed() };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        state.connected = false;
        logger.warn({ server: status.data }, "lost the NATS connection: beacons are refused with 503 until it is back");
      } else if (status.type === Events.Reconnect) {
        state.connected = true;
        logger.info({ server: status.data }, "NATS connection is back");
        await onReconnect().catch((error: unknown) => logger.error({ err: error }, "could not restore the event stream after reconnecting"));
      }
    }
    state.connected = false;
  })();
  return state;
}
