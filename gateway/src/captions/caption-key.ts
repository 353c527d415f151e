import { rawKey } from "@kino/storage";

/**
 * Where a video's captions of one language lie: `raw/<videoId>/captions-<language>.vtt`,
 * beside the source rather than under `media/<videoId>/`, whose folders are
 * transcode attempts that cleanup removes. The language is the canonical
 * tag @kino/captions validated (letters, digits, '-'), so nothing else of
 * the request reaches the key; the video's deletion removes it with the source.
 */
export function captionKey(videoId: string, language: string): string {
  return rawKey(videoId, `captions-${language}.vtt`);
}
