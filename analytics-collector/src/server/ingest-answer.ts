import { create, toBinary } from "@bufbuild/protobuf";
import { KinoError } from "@kino/platform";
import { IngestResponseSchema } from "@kino/proto/analytics/v1";
import { BatchError } from "../ingest/batch-error.ts";
import type { Ingest, IngestOutcome } from "../ingest/ingest-batch.ts";
import type { BeaconFormat } from "../ingest/parse-batch.ts";
import type { RequestContext } from "../ingest/event-row.ts";
import type { IngestLog } from "./ingest-log.ts";
import { errorBody } from "./responses.ts";

/** An HTTP-shaped answer to one batch, shared by POST /v1/events and the WebSocket. */
export interface IngestAnswer {
  status: number;
  contentType: string;
  body: string | Uint8Array;
  /** Seconds, for 503. */
  retryAfter?: number;
  accepted: number;
  rejected: number;
}

const retryAfterSeconds = 2;

/** IngestResponse in the request's format: canonical protobuf JSON (all fields present) or binary. */
function acknowledgement(outcome: IngestOutcome, format: BeaconFormat): Pick<IngestAnswer, "contentType" | "body"> {
  if (format === "protobuf") {
    const message = create(IngestResponseSchema, {
      batchId: outcome.batchId,
      acceptedCount: outcome.accepted,
      clampedCount: outcome.clamped,
      rejected: outcome.rejected,
    });
    return { contentType: "application/x-protobuf", body: toBinary(IngestResponseSchema, message) };
  }
  return { contentType: "application/json", body: jsonAcknowledgement(outcome) };
}

/** JSON acknowledgements without a batch id, rejections or clamps, by accepted count: nearly every SDK batch gets one of these. */
const plainAcknowledgements: string[] = [];
const maxRememberedCount = 1000;

function jsonAcknowledgement(outcome: IngestOutcome): string {
  const plain = outcome.batchId === "" && outcome.rejected.length === 0 && outcome.clamped === 0 && outcome.accepted <= maxRememberedCount;
  const known = plain ? plainAcknowledgements[outcome.accepted] : undefined;
  if (known !== undefined) return known;
  const text = JSON.stringify({ batchId: outcome.batchId, acceptedCount: outcome.accepted, rejected: outcome.rejected, clampedCount: outcome.clamped });
  if (plain) plainAcknowledgements[outcome.accepted] = text;
  return text;
}

function jsonAnswer(status: number, value: unknown, counts: { accepted?: number; rejected?: number } = {}): IngestAnswer {
  return { status, contentType: "application/json", body: JSON.stringify(value), accepted: counts.accepted ?? 0, rejected: counts.rejected ?? 0 };
}

/**
 * Runs one batch and says how to answer: 200 with the acknowledgement when
 * at least one event was stored (rejected ones are listed), 400 when none
 * was valid, 4xx for an unusable body, 503 with Retry-After when the buffer
 * cannot take it.
 */
export async function answerIngest(
  ingest: Ingest,
  body: Uint8Array,
  format: BeaconFormat,
  context: RequestContext,
  log: IngestLog,
): Promise<IngestAnswer> {
  try {
    const outcome = await ingest(body, format, context);
    if (outcome.accepted === 0) {
      return jsonAnswer(400, errorBody("invalid_argument", "no valid event in the batch", { batchId: outcome.batchId, rejected: outcome.rejected }), {
        rejected: outcome.rejected.length,
      });
    }
    return { status: 200, ...acknowledgement(outcome, format), accepted: outcome.accepted, rejected: outcome.rejected.length };
  } catch (error) {
    if (error instanceof BatchError) return jsonAnswer(error.status, errorBody(error.code, error.message));
    if (KinoError.is(error, "resource_exhausted") || KinoError.is(error, "unavailable")) {
      log.refused(error);
      return { ...jsonAnswer(503, errorBody(error.code, `${error.message}; retry later`)), retryAfter: retryAfterSeconds };
    }
    log.failed(error);
    return jsonAnswer(500, errorBody("internal", "internal error"));
  }
}
