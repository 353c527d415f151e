import type { Topology } from "@kino/messaging";
import type { NatsConnection } from "nats";
import { startConsumer } from "../consumers/start-consumer.ts";
import { handleDownloadMessage, type DownloadHandlerDeps } from "./download-handler.ts";

/** Durable name shared by every transcoder host for download jobs. */
export const DOWNLOAD_CONSUMER_NAME = "transcoder-downloads";

export interface DownloadConsumerOptions extends DownloadHandlerDeps {
  nats: NatsConnection;
  topology: Topology;
}

export interface DownloadConsumer {
  stopTaking(): Promise<void>;
  idle(timeoutMs: number): Promise<boolean>;
  /** Stops every running download; each is handed back for another host. */
  handBackAll(): void;
}

/**
 * Takes download jobs (kino.media.v1.DownloadJob) one at a time per host,
 * beside the transcode pool: a download is a remux, bounded by disk and
 * network rather than CPU. No MaxDeliver, so the transcode jobs' dead-letter
 * watcher never sees one: the handler itself ends a job after its attempts.
 */
export async function startDownloadConsumer(options: DownloadConsumerOptions): Promise<DownloadConsumer> {
  const { nats, topology, settings, logger } = options;
  const running = new Set<AbortController>();
  const loop = await startConsumer({
    nats,
    stream: topology.streams.jobs,
    name: DOWNLOAD_CONSUMER_NAME,
    filterSubject: topology.downloadJobSubject,
    ackWaitMs: settings.ackWaitMs,
    capacity: 1,
    logger,
    retryDelayMs: Math.max(1000, settings.retryBackoffMs),
    async handle(message) {
      const controller = new AbortController();
      running.add(controller);
      try {
        const outcome = await handleDownloadMessage(message, controller.signal, options);
        logger.debug({ seq: message.seq, outcome }, "download delivery settled");
      } finally {
        running.delete(controller);
      }
    },
  });
  return {
    stopTaking: () => loop.stop(),
    idle: (timeoutMs) => loop.idle(timeoutMs),
    handBackAll() {
      for (const controller of running) controller.abort(new Error("transcoder shutting down"));
    },
  };
}
