import { mediaPrefix, type Storage } from "@kino/storage";
import { deleteOutputs } from "./upload-outputs.ts";

/** The output ids that have objects under `media/<videoId>/`, in key order. */
export async function listAttempts(storage: Storage, videoId: string): Promise<string[]> {
  const prefix = mediaPrefix(videoId);
  const ids = new Set<string>();
  for await (const object of storage.list(prefix)) {
    const outputId = object.key.slice(prefix.length).split("/")[0];
    if (outputId) ids.add(outputId);
  }
  return [...ids];
}

/**
 * Deletes every attempt's outputs under `media/<videoId>/` except `keep`'s
 * (every attempt when `keep` is undefined): what a crashed, superseded or
 * timed-out attempt left behind, which no playlist the catalog serves names.
 * Returns the output ids removed.
 */
export async function removeAbandonedAttempts(storage: Storage, videoId: string, keep?: string): Promise<string[]> {
  const abandoned = (await listAttempts(storage, videoId)).filter((id) => id !== keep);
  for (const outputId of abandoned) await deleteOutputs(storage, videoId, outputId);
  return abandoned;
}
