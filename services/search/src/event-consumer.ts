import { fromBinary } from "@bufbuild/protobuf";
import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { VideoEventSchema } from "@kino/proto/events/v1";
import type { CaptionTextOf } from "./caption-text.ts";
import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type ConsumerMessages, type JsMsg, type NatsConnection } from "nats";
import type { DocumentStore } from "./document-store.ts";

export interface EventFollower {
  stop(): Promise<void>;
}

const ackWaitMs = 30_000;
const retryDelayMs = 2000;

/**
 * Keeps the documents in step with the catalog's events: a durable consumer
 * from the start of the stream (a new deployment indexes what the stream
 * still holds), acking each event once its document is committed. A
 * document only moves forward by version, so redeliveries and reordering
 * are harmless.
 */
/** The durable consumer's settings; where it starts is the caller's (all events, or a rebuild's start). */
export function eventConsumerSettings(name: string, topology: Topology): Partial<ConsumerConfig> {
  return { durable_name: name, filter_subject: topology.allVideoEventsSubject, ack_policy: AckPolicy.Explicit, ack_wait: nanos(ackWaitMs), max_deliver: -1 };
}

export async function followVideoEvents(options: {
  nats: NatsConnection;
  topology: Topology;
  name: string;
  store: DocumentStore;
  /** Called once a document that could be found no longer can (deleted, privatised, no longer READY). */
  onHidden: (videoId: string) => Promise<void>;
  captionText: CaptionTextOf;
  logger: Logger;
}): Promise<EventFollower> {
  const { nats, topology, store, onHidden, captionText, logger } = options;
  const jsm = await nats.jetstreamManager();
  const stream = topology.streams.events;
  // An existing consumer is kept as it is: made by another replica, or by a
  // rebuild that starts it at its export (adding again would try to move its start).
  const exists = await jsm.consumers.info(stream, options.name).then(
    () => true,
    (error: unknown) => {
      if (/consumer not found/i.test(String((error as Error)?.message ?? error))) return false;
      throw error;
    },
  );
  if (!exists) {
    await jsm.consumers.add(stream, { ...eventConsumerSettings(options.name, topology), deliver_policy: DeliverPolicy.All }).catch((error: unknown) => {
      // Another replica made it in between, with the same settings.
      if (!/already (exists|in use)/i.test(String((error as Error)?.message ?? error))) throw error;
    });
  }
  const consumer = await nats.jetstream().consumers.get(stream, options.name);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 64 });

  const handle = async (message: JsMsg) => {
    let video;
    try {
      video = fromBinary(VideoEventSchema, message.data).video;
    } catch (error) {
      logger.error({ err: error, subject: message.subject, seq: message.seq }, "event is not a VideoEvent; dropped");
      message.term();
      return;
    }
    // Progress events carry no video, and older events came before events did.
    if (!video) return message.ack();
    try {
      // A deleted video's captions are gone with it (the catalog answers NOT_FOUND).
      const { outcome, hidden } = await store.apply(video, video.status === VideoStatus.DELETED ? "" : await captionText(video));
      logger.debug({ videoId: video.id, version: video.version.toString(), outcome, hidden }, "document updated");
      if (hidden) await onHidden(video.id);
      message.ack();
    } catch (error) {
      logger.warn({ err: error, videoId: video.id }, "document not updated; the event comes again");
      message.nak(retryDelayMs);
    }
  };
  const done = (async () => {
    for await (const message of messages) await handle(message);
  })();
  return {
    async stop() {
      await messages.close();
      await done;
    },
  };
}
