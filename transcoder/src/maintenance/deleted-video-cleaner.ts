import { fromBinary } from "@bufbuild/protobuf";
import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { mediaPrefix, rawPrefix, type Storage } from "@kino/storage";
import type { JsMsg, NatsConnection } from "nats";
import type { PullLoop } from "../consumers/pull-loop.ts";
import { startConsumer } from "../consumers/start-consumer.ts";

export const DELETED_VIDEO_CLEANER_NAME = "transcoder-deleted-media";

export interface DeletedVideoCleanerOptions {
  nats: NatsConnection;
  topology: Topology;
  storage: Storage;
  logger: Logger;
}

function deletedVideoId(data: Uint8Array): string | undefined {
  try {
    const event = fromBinary(VideoEventSchema, data);
    return event.kind.case === "deleted" && event.videoId ? event.videoId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a deleted video's source and outputs from storage when the
 * catalog announces the deletion. Deleting is idempotent, so a redelivered
 * event is harmless.
 */
export async function startDeletedVideoCleaner(options: DeletedVideoCleanerOptions): Promise<PullLoop> {
  const { storage, logger } = options;

  async function handle(message: JsMsg): Promise<void> {
    const videoId = deletedVideoId(message.data);
    let prefixes: string[];
    try {
      if (!videoId) throw new Error("not a video.deleted event");
      prefixes = [rawPrefix(videoId), mediaPrefix(videoId)];
    } catch (error) {
      logger.warn({ err: error, seq: message.seq }, "ignoring a malformed deletion event");
      message.term();
      return;
    }
    let removed = 0;
    for (const prefix of prefixes) removed += await storage.deleteByPrefix(prefix);
    logger.info({ videoId, removed }, "deleted video's files removed");
    message.ack();
  }

  return startConsumer({
    nats: options.nats,
    stream: options.topology.streams.events,
    name: DELETED_VIDEO_CLEANER_NAME,
    filterSubject: options.topology.videoEventSubject("deleted"),
    ackWaitMs: 30_000,
    capacity: 4,
    handle,
    logger,
  });
}
