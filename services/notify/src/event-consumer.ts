import { fromBinary } from "@bufbuild/protobuf";
import { databaseError } from "@kino/database";
import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import { VideoEventSchema, type VideoEvent } from "@kino/proto/events/v1";
import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from "nats";
import type { IntakeResult } from "./event-intake.ts";

export interface EventConsumerOptions {
  nats: NatsConnection;
  topology: Topology;
  /** Durable name, shared by every notify replica so they split the events. */
  name: string;
  record(event: VideoEvent): Promise<IntakeResult>;
  /** Told after an event caused work, so the workers need not wait for their next poll. */
  onRecorded(): void;
  logger: Logger;
  retryDelayMs?: number;
}

export interface EventConsumer {
  stop(): Promise<void>;
}

const ackWaitMs = 30_000;

function isNotFound(error: unknown): boolean {
  return /consumer not found/i.test(String((error as Error)?.message ?? error));
}

/**
 * Takes the catalog's lifecycle events from a durable consumer and acks
 * each once its effects are committed; a failure hands the message back
 * and it comes again (at least once; recording is idempotent by event id).
 * A consumer made for the first time starts at new events: a fresh
 * deployment does not mail about the week of history the stream keeps.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { nats, topology, logger } = options;
  const jsm = await nats.jetstreamManager();
  const stream = topology.streams.events;
  const exists = await jsm.consumers.info(stream, options.name).then(
    () => true,
    (error: unknown) => {
      if (isNotFound(error)) return false;
      throw error;
    },
  );
  if (!exists) {
    await jsm.consumers
      .add(stream, {
        durable_name: options.name,
        filter_subject: topology.allVideoEventsSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        ack_wait: nanos(ackWaitMs),
        max_deliver: -1,
      })
      .catch((error: unknown) => {
        // Another replica made it between our info and add.
        if (!/already (exists|in use)/i.test(String((error as Error)?.message ?? error))) throw error;
      });
  }
  const consumer = await nats.jetstream().consumers.get(stream, options.name);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 32 });
  const retryDelayMs = options.retryDelayMs ?? 2000;

  const handle = async (message: JsMsg) => {
    let event: VideoEvent;
    try {
      event = fromBinary(VideoEventSchema, message.data);
    } catch (error) {
      // Never readable, however often it comes back.
      logger.error({ err: error, subject: message.subject, seq: message.seq }, "event is not a VideoEvent; dropped");
      message.term();
      return;
    }
    try {
      const result = await options.record(event);
      message.ack();
      if (result === "recorded") {
        logger.debug({ eventId: event.eventId }, "event recorded");
        options.onRecorded();
      }
    } catch (error) {
      logger.warn({ err: databaseError(error).cause ?? error, eventId: event.eventId }, "event not recorded; it comes again");
      message.nak(retryDelayMs);
    }
  };
  const loop = (async () => {
    for await (const message of messages) await handle(message);
  })();

  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
