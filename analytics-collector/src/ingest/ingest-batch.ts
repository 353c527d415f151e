import { batchRowContext } from "./batch-row-context.ts";
import { toEventRow, type ClockWindow, type RequestContext } from "./event-row.ts";
import { jsonEventRow } from "./json-event-row.ts";
import { decodeBinaryEvent, decodeJsonEvent, readBinaryBatch, readJsonBatch, type BeaconFormat, type DecodedEvent } from "./parse-batch.ts";

/** Where accepted rows go; resolves once they are stored durably. */
export interface RowPublisher {
  publish(rows: string[]): Promise<void>;
}

export interface RejectedEntry {
  index: number;
  eventId: string;
  reason: string;
}

export interface IngestOutcome {
  batchId: string;
  accepted: number;
  clamped: number;
  rejected: RejectedEntry[];
}

export interface IngestOptions {
  maxBatchEvents: number;
  clockWindow: ClockWindow;
  publisher: RowPublisher;
}

/**
 * Takes one batch. `body` is read before the call returns (decoding and
 * validation are synchronous; only the wait for the buffer is not), so a
 * caller may pass memory it reuses right after, such as uWS's request chunk.
 */
export type Ingest = (body: Uint8Array, format: BeaconFormat, context: RequestContext) => Promise<IngestOutcome>;

/**
 * Decode, validate and enrich a batch, then hand its valid events to the
 * durable buffer. Resolves only after the buffer acknowledged them; throws
 * BatchError for an unusable envelope and KinoError when the buffer refuses.
 */
export function createIngest(options: IngestOptions): Ingest {
  /** The synchronous part: everything but the wait for the buffer. */
  const prepare = (body: Uint8Array, format: BeaconFormat, context: RequestContext) => {
    const rows: string[] = [];
    const rejected: RejectedEntry[] = [];
    let clamped = 0;
    /** The general path: a protobuf-es message checked by toEventRow. */
    const addDecoded = (index: number, decoded: DecodedEvent) => {
      if ("error" in decoded) {
        rejected.push({ index, eventId: decoded.eventId, reason: decoded.error });
        return;
      }
      const result = toEventRow(decoded.event, context, options.clockWindow);
      if ("error" in result) {
        rejected.push({ index, eventId: decoded.event.eventId.slice(0, 64), reason: result.error });
        return;
      }
      if (result.clamped) clamped++;
      rows.push(JSON.stringify(result.row));
    };
    let batchId: string;
    if (format === "json") {
      const batch = readJsonBatch(body, options.maxBatchEvents);
      const shared = batchRowContext(context, options.clockWindow);
      batch.events.forEach((json, index) => {
        const fast = jsonEventRow(json, shared);
        if (!fast) return addDecoded(index, decodeJsonEvent(json));
        if (fast.clamped) clamped++;
        rows.push(fast.line);
      });
      batchId = batch.batchId;
    } else {
      const batch = readBinaryBatch(body, options.maxBatchEvents);
      batch.events.forEach((bytes, index) => addDecoded(index, decodeBinaryEvent(bytes)));
      batchId = batch.batchId;
    }
    const outcome: IngestOutcome = { batchId, accepted: rows.length, clamped, rejected };
    return { rows, outcome };
  };
  // Not an async function on purpose: only the small outcome waits for the
  // acknowledgement. Rows, body text and parsed JSON become garbage at once
  // instead of surviving young-generation GCs for the length of a PubAck,
  // which under load made scavenges copy megabytes each time.
  return (body, format, context) => {
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(body, format, context);
    } catch (error) {
      return Promise.reject(error);
    }
    const { rows, outcome } = prepared;
    if (rows.length === 0) return Promise.resolve(outcome);
    return options.publisher.publish(rows).then(() => outcome);
  };
}
