import { DownloadState, RenditionState } from "@kino/proto/catalog/v1";
import type { Rendition } from "@kino/media";
import type { DownloadResult, Publication, RungState, TranscodeJobResult } from "../pool/job.ts";
import { discardOutputs, tidyAttempts } from "./attempt-cleanup.ts";
import { describeCatalogError, isStateConflict } from "./catalog-errors.ts";
import { catalogCall, defer, handBack, type Delivery } from "./delivery.ts";
import type { JobOutcome } from "./job-outcome.ts";

const rungStates: Record<RungState, RenditionState> = { pending: RenditionState.PENDING, encoding: RenditionState.ENCODING, ready: RenditionState.READY };

// The catalog's bandwidths are whole bits per second.
export function renditionMessage(r: Rendition) {
  return { ...r, bandwidth: Math.round(r.bandwidth), averageBandwidth: Math.round(r.averageBandwidth) };
}

/** What MarkReady says of the download the job made (or could not). */
function downloadOutcome(download: DownloadResult) {
  return "failure" in download ? { state: DownloadState.FAILED, reason: download.failure } : { state: DownloadState.READY, sizeBytes: BigInt(download.sizeBytes) };
}

/** A publication as PublishRenditions takes it. */
export function publicationRequest(publication: Publication) {
  return {
    videoId: publication.videoId,
    outputId: publication.outputId,
    durationSeconds: publication.durationSeconds,
    renditions: publication.renditions.map(({ state, passthrough, ...r }) => ({ ...renditionMessage(r), state: rungStates[state], passthrough: passthrough ?? false })),
  };
}

/**
 * Offers a finished attempt to the catalog. The first MarkReady wins; a
 * loser (another attempt won, or the video was failed or deleted meanwhile)
 * removes its outputs, and the winner removes every other attempt's.
 */
export async function publishResult(delivery: Delivery, result: TranscodeJobResult): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  const { videoId, outputId } = result;
  try {
    await catalogCall(delivery, "mark the video ready", (timeoutMs) =>
      deps.lifecycle.markReady(
        {
          videoId,
          outputId,
          durationSeconds: result.durationSeconds,
          renditions: result.renditions.map((r) => ({ ...renditionMessage(r), state: RenditionState.READY })),
          posterMissing: result.posterKey === undefined,
          hasStoryboard: result.storyboardKey !== undefined,
          hasPreview: result.previewKey !== undefined,
          ...(result.download ? { download: downloadOutcome(result.download) } : {}),
        },
        { timeoutMs },
      ),
    );
  } catch (error) {
    if (isStateConflict(error)) {
      logger.info({ outputId, why: describeCatalogError(error) }, "another attempt won or the video is gone; removing this attempt's outputs");
      await discardOutputs(delivery, videoId, outputId);
      message.ack();
      return "superseded";
    }
    // Stopped while the catalog was unreachable: READY may have been committed before an answer was lost,
    // so these outputs may be served and stay; whichever attempt wins removes them otherwise.
    if (delivery.signal.aborted) return handBack(delivery);
    return defer(delivery, "the catalog refused this attempt's outputs", error);
  }
  await tidyAttempts(delivery, videoId, outputId);
  message.ack();
  logger.info({ outputId, seconds: result.durationSeconds, renditions: result.renditions.map((r) => r.name) }, "video ready");
  for (const warning of result.warnings) {
    logger.warn({ outputId, output: warning.output, warning: warning.message }, "video published without an auxiliary output");
    deps.metrics.auxiliaryOutputMissing(warning.output);
  }
  if (result.download && "failure" in result.download) {
    logger.warn({ outputId, warning: result.download.failure }, "video published without its MP4 download");
    deps.metrics.auxiliaryOutputMissing("download");
  }
  return "ready";
}
