import { decodeBatch, type BeaconFormat } from "./parse-batch.ts";
import { toEventRow, type ClockWindow, type RequestContext } from "./event-row.ts";

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

export type Ingest = (body: Uint8Array, format: BeaconFormat, context: RequestContext) => Promise<IngestOutcome>;

/**
 * Decode, validate and enrich a batch, then hand its valid events to the
 * durable buffer. Resolves only after the buffer acknowledged them; throws
 * BatchError for an unusable envelope and KinoError when the buffer refuses.
 */
export function createIngest(options: IngestOptions): Ingest {
  return async (body, format, context) => {
    const batch = decodeBatch(body, format, options.maxBatchEvents);
    const rows: string[] = [];
    const rejected: RejectedEntry[] = [];
    let clamped = 0;
    for (const decoded of batch.events) {
      if ("error" in decoded) {
        rejected.push({ index: decoded.index, eventId: decoded.eventId, reason: decoded.error });
        continue;
      }
      const result = toEventRow(decoded.event, context, options.clockWindow);
      if ("error" in result) {
        rejected.push({ index: decoded.index, eventId: decoded.event.eventId.slice(0, 64), reason: result.error });
        continue;
      }
      if (result.clamped) clamped++;
      rows.push(JSON.stringify(result.row));
    }
    if (rows.length > 0) await options.publisher.publish(rows);
    return { batchId: batch.batchId, accepted: rows.length, clamped, rejected };
  };
}
