import { headers as natsHeaders, type JetStreamClient } from "nats";
import { KinoError } from "@kino/platform";
import type { RowPublisher } from "../ingest/ingest-batch.ts";

export const rowsHeader = "Kino-Rows";

export interface GroupCommitPublisherOptions {
  js: JetStreamClient;
  subject: string;
  /** A message is sealed before it would grow past this (stay under the server's max_payload). */
  maxMessageBytes: number;
  /** Rows accepted but not yet acknowledged by JetStream; past it, publish fails fast. */
  maxPendingBytes: number;
  /** Messages awaiting their PubAck at once. */
  maxInFlight: number;
  publishTimeoutMs: number;
  /** Called with the rows of each acknowledged message. */
  onPublished?: (rows: number, bytes: number) => void;
}

interface Group {
  /** JSONEachRow lines, newline-terminated, encoded as each request came in. */
  chunks: Buffer[];
  rows: number;
  bytes: number;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group's outcome is always observed through publish(); this keeps a
  // failure that nobody awaits yet from being reported as unhandled.
  done.catch(() => undefined);
  return { chunks: [], rows: 0, bytes: 0, done, resolve, reject };
}

/**
 * JetStream's refusal when the stream is at max_bytes or max_msgs with
 * DiscardNew. nats.js reports it as a NatsError whose message is just "503";
 * the reason is in api_error.
 */
function isBufferFull(error: unknown): boolean {
  const apiError = (error as { api_error?: { description?: string } })?.api_error;
  const text = `${apiError?.description ?? ""} ${String((error as Error)?.message ?? error)}`;
  return /maximum (bytes|messages) exceeded|insufficient resources/i.test(text);
}

/**
 * Group commit: rows of all requests that arrive while earlier messages are
 * being acknowledged go out together in the next message (JSONEachRow
 * lines), and each request resolves when the message holding its rows has
 * the server's PubAck, i.e. is stored in the stream. Memory is bounded by
 * maxPendingBytes; beyond it requests fail with resource_exhausted.
 */
export class GroupCommitPublisher implements RowPublisher {
  private readonly options: GroupCommitPublisherOptions;
  private readonly sealed: Group[] = [];
  private open: Group = newGroup();
  private inFlight = 0;
  private pendingBytes = 0;
  private scheduled = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(options: GroupCommitPublisherOptions) {
    this.options = options;
  }

  /** Bytes accepted and not yet acknowledged by JetStream. */
  get pending(): number {
    return this.pendingBytes;
  }

  publish(rows: string[]): Promise<void> {
    // Encoded at once: the request's rows wait for their PubAck as one
    // buffer rather than as many strings on the heap.
    const chunk = Buffer.from(rows.join("\n") + "\n");
    if (this.pendingBytes + chunk.byteLength > this.options.maxPendingBytes) {
      return Promise.reject(new KinoError("resource_exhausted", "too many events awaiting the buffer's acknowledgement"));
    }
    this.pendingBytes += chunk.byteLength;
    this.schedule();
    if (chunk.byteLength <= this.options.maxMessageBytes) {
      this.add(chunk, rows.length);
      return this.open.done;
    }
    // More than one message holds: split at row boundaries.
    const groups: Group[] = [];
    for (const row of rows) {
      this.add(Buffer.from(row + "\n"), 1);
      if (groups.at(-1) !== this.open) groups.push(this.open);
    }
    return Promise.all(groups.map((g) => g.done)).then(() => undefined);
  }

  /** Adds to the open message, sealing it first when the chunk would not fit. */
  private add(chunk: Buffer, rows: number): void {
    if (this.open.bytes > 0 && this.open.bytes + chunk.byteLength > this.options.maxMessageBytes) {
      this.sealed.push(this.open);
      this.open = newGroup();
    }
    this.open.chunks.push(chunk);
    this.open.rows += rows;
    this.open.bytes += chunk.byteLength;
  }

  /** Resolves when everything accepted so far has been acknowledged or failed. */
  flush(): Promise<void> {
    if (this.pendingBytes === 0) return Promise.resolve();
    this.schedule();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Publishes after the current event-loop turn, so requests handled in one turn share a message. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight) {
      if (this.sealed.length === 0 && this.open.bytes > 0) {
        this.sealed.push(this.open);
        this.open = newGroup();
      }
      const group = this.sealed.shift();
      if (!group) break;
      this.send(group);
    }
  }

  private send(group: Group): void {
    this.inFlight++;
    const h = natsHeaders();
    h.set(rowsHeader, String(group.rows));
    const payload = group.chunks.length === 1 ? group.chunks[0]! : Buffer.concat(group.chunks, group.bytes);
    this.options.js
      .publish(this.options.subject, payload, { headers: h, timeout: this.options.publishTimeoutMs })
      .then(
        () => {
          this.options.onPublished?.(group.rows, payload.byteLength);
          group.resolve();
        },
        (error: unknown) => {
          group.reject(
            isBufferFull(error)
              ? new KinoError("resource_exhausted", "event buffer is full", { cause: error })
              : new KinoError("unavailable", "event buffer is unavailable", { cause: error }),
          );
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pendingBytes -= group.bytes;
        this.pump();
        if (this.pendingBytes === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }
}
