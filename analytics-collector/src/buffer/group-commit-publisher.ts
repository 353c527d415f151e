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
  /** False while the connection to NATS is down: nothing is handed to nats.js then, and requests fail at once. */
  isConnected?: () => boolean;
  /** Called with the rows of each acknowledged message. */
  onPublished?: (rows: number, bytes: number) => void;
}

interface Group {
  /** JSONEachRow lines, newline-terminated, written as each request came in. */
  buffer: Buffer;
  bytes: number;
  rows: number;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function newGroup(buffer: Buffer): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group's outcome is always observed through publish(); this keeps a
  // failure that nobody awaits yet from being reported as unhandled.
  done.catch(() => undefined);
  return { buffer, bytes: 0, rows: 0, done, resolve, reject };
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

function disconnected(): KinoError {
  return new KinoError("unavailable", "event buffer is unreachable (no connection to NATS)");
}

/**
 * Group commit: rows of all requests that arrive while earlier messages are
 * being acknowledged go out together in the next message (JSONEachRow
 * lines), and each request resolves when the message holding its rows has
 * the server's PubAck, i.e. is stored in the stream. Memory is bounded by
 * maxPendingBytes in whole message buffers, plus the open one and a few
 * spares; beyond it requests fail with resource_exhausted.
 */
export class GroupCommitPublisher implements RowPublisher {
  private readonly options: GroupCommitPublisherOptions;
  private readonly sealed: Group[] = [];
  /** Message buffers whose PubAck came back, for reuse. */
  private readonly spare: Buffer[] = [];
  private open: Group;
  private inFlight = 0;
  private pendingBytes = 0;
  private scheduled = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(options: GroupCommitPublisherOptions) {
    this.options = options;
    this.open = this.newGroup();
  }

  /** Bytes accepted and not yet acknowledged by JetStream. */
  get pending(): number {
    return this.pendingBytes;
  }

  publish(rows: string[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    // UTF-16 length is a lower bound of UTF-8 size: enough to refuse a
    // request before writing any of it; write() counts the exact bytes.
    let estimate = 0;
    for (const row of rows) {
      estimate += row.length + 1;
      // Validation bounds a row far below a message; this only guards that.
      if (row.length * 3 + 1 > this.options.maxMessageBytes && Buffer.byteLength(row) + 1 > this.options.maxMessageBytes) {
        return Promise.reject(new KinoError("internal", `an event row exceeds a buffer message (${this.options.maxMessageBytes} bytes)`));
      }
    }
    if (!this.connected()) return Promise.reject(disconnected());
    if (this.pendingBytes + estimate > this.options.maxPendingBytes) {
      return Promise.reject(new KinoError("resource_exhausted", "too many events awaiting the buffer's acknowledgement"));
    }
    this.schedule();
    const first = this.open;
    for (const row of rows) this.write(row);
    if (this.open === first) return first.done;
    // The rows span messages: the request waits for each of them.
    const spanned = [...this.sealed.slice(this.sealed.indexOf(first)), this.open];
    return Promise.all(spanned.map((g) => g.done)).then(() => undefined);
  }

  /**
   * Appends one row to the open message, sealing it first when the row
   * would not fit. Rows are written straight into a reused message buffer:
   * a buffer per request is external memory, and at beacon rates that
   * alone drives V8's full collections.
   */
  private write(row: string): void {
    const max = this.options.maxMessageBytes;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: count exactly only near the end.
    const bound = row.length * 3 + 1;
    const size = bound <= max - this.open.bytes ? bound : Buffer.byteLength(row) + 1;
    if (size > max - this.open.bytes) {
      this.sealed.push(this.open);
      this.open = this.newGroup();
    }
    const group = this.open;
    const written = group.buffer.write(row, group.bytes) + 1;
    group.buffer[group.bytes + written - 1] = 0x0a;
    group.bytes += written;
    group.rows++;
    this.pendingBytes += written;
  }

  private newGroup(): Group {
    return newGroup(this.spare.pop() ?? Buffer.allocUnsafeSlow(this.options.maxMessageBytes));
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

  private connected(): boolean {
    return this.options.isConnected?.() ?? true;
  }

  private pump(): void {
    if (!this.connected()) return this.refuseWaiting();
    while (this.inFlight < this.options.maxInFlight) {
      if (this.sealed.length === 0 && this.open.bytes > 0) {
        this.sealed.push(this.open);
        this.open = this.newGroup();
      }
      const group = this.sealed.shift();
      if (!group) break;
      this.send(group);
    }
  }

  /** Groups accepted before the connection dropped: refused now, never queued in nats.js. */
  private refuseWaiting(): void {
    if (this.open.bytes > 0) {
      this.sealed.push(this.open);
      this.open = this.newGroup();
    }
    for (const group of this.sealed.splice(0)) {
      this.pendingBytes -= group.bytes;
      if (this.spare.length <= this.options.maxInFlight) this.spare.push(group.buffer);
      group.reject(disconnected());
    }
    if (this.pendingBytes === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private send(group: Group): void {
    this.inFlight++;
    const h = natsHeaders();
    h.set(rowsHeader, String(group.rows));
    this.options.js
      .publish(this.options.subject, group.buffer.subarray(0, group.bytes), { headers: h, timeout: this.options.publishTimeoutMs })
      .then(
        () => {
          this.options.onPublished?.(group.rows, group.bytes);
          // The server has the message, so nats.js no longer reads the
          // buffer. After a failure it might still (a resend on reconnect),
          // so a failed group's buffer is left to the garbage collector.
          if (this.spare.length <= this.options.maxInFlight) this.spare.push(group.buffer);
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
