import type { TranscodeJobResult } from "../pool/job.ts";
import { discardOutputs, tidyAttempts } from "./attempt-cleanup.ts";
import { describeCatalogError, isStateConflict } from "./catalog-errors.ts";
import { defer, type Delivery } from "./delivery.ts";
import type { JobOutcome } from "./job-outcome.ts";
import { CATALOG_CALL_TIMEOUT_MS } from "./lifecycle-client.ts";

/**
 * Offers a finished attempt to the catalog. The first MarkReady wins; a
 * loser (another attempt won, or the video was failed or deleted meanwhile)
 * removes its outputs, and the winner removes every other attempt's.
 */
export async function publishResult(delivery: Delivery, result: TranscodeJobResult): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  const { videoId, outputId } = result;
  try {
    await deps.lifecycle.markReady(
      {
        videoId,
        outputId,
        durationSeconds: result.durationSeconds,
        renditions: result.renditions.map((r) => ({ ...r, bandwidth: Math.round(r.bandwidth), averageBandwidth: Math.round(r.averageBandwidth) })),
      },
      { timeoutMs: CATALOG_CALL_TIMEOUT_MS },
    );
  } catch (error) {
    if (isStateConflict(error)) {
      logger.info({ outputId, why: describeCatalogError(error) }, "another attempt won or the video is gone; removing this attempt's outputs");
      await discardOutputs(delivery, videoId, outputId);
      message.ack();
      return "superseded";
    }
    // READY may have been committed before the answer was lost, so these outputs may be served: keep them.
    return defer(delivery, "could not mark the video ready", error);
  }
  await tidyAttempts(delivery, videoId, outputId);
  message.ack();
  logger.info({ outputId, seconds: result.durationSeconds, renditions: result.renditions.map((r) => r.name) }, "video ready");
  return "ready";
}
