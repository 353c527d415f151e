import type { Topology } from "@kino/messaging";
import type { NatsConnection } from "nats";
import { startAbortableConsumer, type AbortableConsumer } from "../consumers/abortable-consumer.ts";
import { handleDownloadMessage, type DownloadHandlerDeps } from "./download-handler.ts";

/** Durable name shared by every transcoder host for download jobs. */
export const DOWNLOAD_CONSUMER_NAME = "transcoder-downloads";

export interface DownloadConsumerOptions extends DownloadHandlerDeps {
  nats: NatsConnection;
  topology: Topology;
}

/**
 * Takes download jobs (kino.media.v1.DownloadJob) one at a time per host,
 * beside the transcode pool: a download is a remux, bounded by disk and
 * network rather than CPU. No MaxDeliver, so the transcode jobs' dead-letter
 * watcher never sees one: the handler itself ends a job after its attempts.
 */
export function startDownloadConsumer(options: DownloadConsumerOptions): Promise<AbortableConsumer> {
  const { nats, topology, settings, logger } = options;
  return startAbortableConsumer({
    nats,
    stream: topology.streams.jobs,
    name: DOWNLOAD_CONSUMER_NAME,
    filterSubject: topology.downloadJobSubject,
    ackWaitMs: settings.ackWaitMs,
    capacity: 1,
    logger,
    retryDelayMs: Math.max(1000, settings.retryBackoffMs),
    handle: (message, signal) => handleDownloadMessage(message, signal, options),
  });
}
