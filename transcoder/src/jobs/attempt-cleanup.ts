import { VideoStatus } from "@kino/proto/catalog/v1";
import { removeAbandonedAttempts } from "../outputs/abandoned-attempts.ts";
import { deleteOutputs } from "../outputs/upload-outputs.ts";
import type { Delivery } from "./delivery.ts";
import { CATALOG_CALL_TIMEOUT_MS } from "./lifecycle-client.ts";

/** Best effort: a prefix left behind here is removed by whichever attempt wins. */
export async function discardOutputs(delivery: Delivery, videoId: string, outputId: string): Promise<void> {
  await deleteOutputs(delivery.deps.storage, videoId, outputId).catch((error: unknown) =>
    delivery.logger.warn({ err: error, outputId }, "could not remove an attempt's outputs"),
  );
}

/** Best effort: removes what earlier attempts left under media/<videoId>/, keeping only what is served. */
export async function tidyAttempts(delivery: Delivery, videoId: string, keep: string | undefined): Promise<void> {
  try {
    const removed = await removeAbandonedAttempts(delivery.deps.storage, videoId, keep);
    if (removed.length > 0) delivery.logger.info({ removed }, "removed outputs of abandoned attempts");
  } catch (error) {
    delivery.logger.warn({ err: error }, "could not remove outputs of abandoned attempts");
  }
}

/** The video finished before this delivery: keep the served outputs (if READY), remove any other attempt's. */
export async function tidyFinishedVideo(delivery: Delivery, videoId: string, status: VideoStatus | undefined): Promise<void> {
  if (status !== VideoStatus.READY) return tidyAttempts(delivery, videoId, undefined);
  try {
    const { outputId } = await delivery.deps.lifecycle.getPlayback({ videoId }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS });
    if (outputId) await tidyAttempts(delivery, videoId, outputId);
  } catch (error) {
    delivery.logger.warn({ err: error }, "could not learn the served outputs; leaving other attempts' outputs for later");
  }
}
