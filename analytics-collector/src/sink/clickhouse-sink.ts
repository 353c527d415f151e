import { setTimeout as sleep } from "node:timers/promises";
import type { Consumer, JetStreamClient, JsMsg } from "nats";
import { findStoredEventIds, isDataRejection, type AnalyticsStore } from "@kino/analytics-store";
import type { Logger } from "@kino/platform";
import { rowsHeader } from "../buffer/group-commit-publisher.ts";

export interface ClickHouseSinkOptions {
  js: JetStreamClient;
  stream: string;
  consumer: string;
  store: AnalyticsStore;
  /** Insert once this many rows are collected… */
  batchRows: number;
  /** …or once the oldest collected message is this old, or the stream ran dry. */
  maxDelayMs: number;
  /** The consumer's ack wait: held messages are re-leased well within it. */
  ackWaitMs: number;
  /** The largest message the stream accepts: each pull is sized so that even such messages stay within the fetch budget. */
  maxMessageBytes: number;
  logger: Logger;
  onInserted?: (rows: number, seconds: number) => void;
  onInsertFailed?: () => void;
  /** An insert first looked up which of its rows were already stored (after a retry or a redelivery). */
  onChecked?: () => void;
  /** A message ClickHouse refused on its own was set aside for later. */
  onParked?: () => void;
}

export interface SinkStatus {
  running: boolean;
  lastInsertAt: string | null;
  lastError: string | null;
  /** Messages pulled and waiting for a successful insert. */
  heldMessages: number;
}

const maxBackoffMs = 5000;
const fetchBudgetBytes = 8 * 1024 * 1024;
const parkDelayMs = 5 * 60_000;

function rowsOf(message: JsMsg): number {
  return Number(message.headers?.get(rowsHeader) ?? 0) || 1;
}

/**
 * Moves events from the JetStream buffer into ClickHouse: pulls messages,
 * inserts their rows in one INSERT (at least batchRows rows, or what arrived
 * within maxDelayMs), and acks the messages only after ClickHouse accepted
 * the insert. While ClickHouse is slow or down it retries the same batch,
 * keeping the messages leased with working(); the stream keeps the backlog.
 *
 * A retry or a redelivered message may repeat rows that already landed; the
 * sink then drops rows whose event id is already stored before inserting.
 * A message at or below the highest sequence this sink inserted counts as
 * redelivered too: a NATS server that was killed can forget acks it took,
 * and then delivers those messages again as if for the first time.
 * The store's rollups are duplicate-proof as well, so exactness does not
 * depend on this step (see the analytics-store migration).
 */
export class ClickHouseSink {
  private readonly options: ClickHouseSinkOptions;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private held: JsMsg[] = [];
  private lastInsertAt: Date | null = null;
  private lastError: string | null = null;
  private insertedThroughSeq = 0;

  constructor(options: ClickHouseSinkOptions) {
    this.options = options;
  }

  start(): void {
    this.loop ??= this.run().catch((error: unknown) => {
      this.options.logger.fatal({ err: error }, "ClickHouse sink stopped");
      this.lastError = String((error as Error)?.message ?? error);
    });
  }

  /** Stops pulling, tries once more to insert what it holds, and returns; unacked messages stay in the stream. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /** The stream was created anew (a NATS server back without its store): its sequences start again from 1. */
  streamReplaced(): void {
    this.insertedThroughSeq = 0;
  }

  status(): SinkStatus {
    return {
      running: this.loop !== undefined && !this.stopping,
      lastInsertAt: this.lastInsertAt?.toISOString() ?? null,
      lastError: this.lastError,
      heldMessages: this.held.length,
    };
  }

  private async run(): Promise<void> {
    const consumer = await this.retry("migrate ClickHouse and open the consumer", async () => {
      await this.options.store.migrate();
      return this.options.js.consumers.get(this.options.stream, this.options.consumer);
    });
    if (!consumer) return;
    while (!this.stopping) {
      await this.collect(consumer);
      if (this.held.length > 0) await this.insertHeld();
    }
  }

  private async collect(consumer: Consumer): Promise<void> {
    let rows = 0;
    let firstAt = 0;
    while (!this.stopping) {
      /*
       * A pull returns as soon as it has max_messages, otherwise when it
       * expires (1 s at least), so a short pull means the stream ran dry.
       * A byte-bounded pull also waits out the expiry whenever the stream
       * runs dry before the budget fills, a second per pull at low traffic,
       * so the count bounds the bytes: sized for the largest messages,
       * never for recent ones.
       * A count guessed from small recent messages pulled a whole backlog
       * of ~1 MiB group commits at once (over 100 MiB), and the collector
       * stopped answering beacons for seconds while it arrived.
       */
      const maxMessages = Math.max(1, Math.min(1000, Math.floor(fetchBudgetBytes / this.options.maxMessageBytes)));
      let fetched = 0;
      try {
        const messages = await consumer.fetch({ max_messages: maxMessages, expires: 1000 });
        for await (const message of messages) {
          this.held.push(message);
          rows += rowsOf(message);
          fetched++;
          firstAt ||= Date.now();
        }
      } catch (error) {
        this.noteError("fetch from the event buffer", error);
        await sleep(1000);
      }
      if (this.held.length === 0) continue;
      const drained = fetched < maxMessages;
      if (rows >= this.options.batchRows || drained || Date.now() - firstAt >= this.options.maxDelayMs) return;
    }
  }

  private async insertHeld(): Promise<void> {
    const messages = this.held;
    const lease = setInterval(() => {
      for (const message of messages) message.working();
    }, this.options.ackWaitMs / 3);
    try {
      await this.insertWithRetries(messages, messages.some((m) => m.redelivered || m.seq <= this.insertedThroughSeq));
    } finally {
      clearInterval(lease);
    }
  }

  private async insertWithRetries(messages: JsMsg[], redelivered: boolean): Promise<void> {
    let uncertain = redelivered;
    let backoffMs = 100;
    for (;;) {
      try {
        await this.insertAndAck(messages, uncertain);
        this.held = [];
        return;
      } catch (error) {
        if (isDataRejection(error)) {
          await this.insertEachOrPark(messages);
          return;
        }
        // The attempt may have been written before failing: check next time.
        uncertain = true;
        this.options.onInsertFailed?.();
        this.noteError("insert into ClickHouse", error);
        if (this.stopping) return;
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      }
    }
  }

  private async insertAndAck(messages: JsMsg[], uncertain: boolean): Promise<void> {
    const started = process.hrtime.bigint();
    if (uncertain) this.options.onChecked?.();
    const { chunks, rows } = uncertain ? await this.withoutStored(messages) : { chunks: messages.map((m) => m.data), rows: messages.reduce((n, m) => n + rowsOf(m), 0) };
    await this.options.store.insertEventsJson(chunks);
    for (const message of messages) {
      message.ack();
      if (message.seq > this.insertedThroughSeq) this.insertedThroughSeq = message.seq;
    }
    this.lastInsertAt = new Date();
    this.lastError = null;
    this.options.onInserted?.(rows, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * ClickHouse refused the data itself (a parse or type error), so retrying
   * the batch would block the sink forever. Insert message by message; a
   * message that is refused on its own is parked: nak'ed with a long delay,
   * kept in the stream and retried (e.g. after a schema fix), never dropped.
   */
  private async insertEachOrPark(messages: JsMsg[]): Promise<void> {
    for (const message of messages) {
      for (;;) {
        try {
          await this.insertAndAck([message], true);
          break;
        } catch (error) {
          if (isDataRejection(error)) {
            message.nak(parkDelayMs);
            this.options.onParked?.();
            this.noteError(`insert message ${message.seq} (parked for ${parkDelayMs / 1000} s)`, error);
            break;
          }
          this.noteError("insert into ClickHouse", error);
          if (this.stopping) return;
          await sleep(1000);
        }
      }
    }
    this.held = [];
  }

  private async withoutStored(messages: JsMsg[]): Promise<{ chunks: Uint8Array[]; rows: number }> {
    const lines = messages.flatMap((m) => Buffer.from(m.data).toString("utf8").split("\n").filter((line) => line.length > 0));
    const keys = lines.map((line) => {
      const row = JSON.parse(line) as { video_id: string; event_id: string };
      return { videoId: row.video_id, eventId: row.event_id, line };
    });
    const stored = await findStoredEventIds(this.options.store, keys);
    const fresh = keys.filter((k) => !stored.has(k.eventId));
    if (stored.size > 0) this.options.logger.info({ skipped: keys.length - fresh.length }, "skipped events already in ClickHouse");
    return { chunks: fresh.length ? [Buffer.from(fresh.map((k) => k.line).join("\n") + "\n")] : [], rows: fresh.length };
  }

  private async retry<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
    let backoffMs = 200;
    while (!this.stopping) {
      try {
        return await action();
      } catch (error) {
        this.noteError(what, error);
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      }
    }
    return undefined;
  }

  private noteError(what: string, error: unknown): void {
    this.lastError = `${what}: ${String((error as Error)?.message ?? error)}`;
    this.options.logger.warn({ err: error }, `ClickHouse sink could not ${what}`);
  }
}
