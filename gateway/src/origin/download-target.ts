import { mediaKey } from "@kino/storage";
import type { MediaType } from "./media-types.ts";
import type { OriginPath } from "./origin-path.ts";
import type { PlaybackLookup } from "./playback-cache.ts";
import type { Playable, PlaybackResolver } from "./playable.ts";

/** The MP4 download at an output's root (kino.catalog.v1.Download). */
export const DOWNLOAD_FILE = "download.mp4";

const MAX_NAME_CHARACTERS = 100;
const FALLBACK_NAME = "video";

/**
 * The title as a file name: no control characters, quotes, path separators
 * or characters Windows refuses in names, spaces collapsed, trimmed of dots
 * and spaces, at most 100 characters; "video" when nothing is left.
 */
function fileStem(title: string): string {
  const cleaned = [...title.normalize("NFC").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"'\\/:*?<>|]/gu, " ").replace(/\s+/gu, " ")]
    .slice(0, MAX_NAME_CHARACTERS)
    .join("")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  return cleaned || FALLBACK_NAME;
}

/** RFC 8187 value-chars: percent-encodes all but attr-char (encodeURIComponent also leaves ' ( ) * alone). */
function extValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment` named after the video's title: an ASCII `filename` (accents
 * dropped, anything else outside printable ASCII as `_`) for old clients,
 * and the title itself in `filename*` (RFC 6266, RFC 8187) for the rest.
 */
export function downloadDisposition(title: string): string {
  const stem = fileStem(title);
  const ascii = stem.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[^\x20-\x7e]/g, "_");
  return `attachment; filename="${ascii}.mp4"; filename*=UTF-8''${extValue(`${stem}.mp4`)}`;
}

const isDownload = (path: OriginPath) => path.file.length === 1 && path.file[0] === DOWNLOAD_FILE;

/**
 * A cached answer that says a download is not READY may predate it (the
 * owner asked for it after the video was READY): drop it, so the lookup
 * that follows asks the catalog. True when it did; such a request costs one
 * GetPlayback, an answer that says READY none.
 */
export function forgetStaleDownloadAnswer(path: OriginPath, answer: Playable, resolver: PlaybackResolver): boolean {
  const forget = (resolver as PlaybackResolver & Partial<Pick<PlaybackLookup<Playable>, "forget">>).forget;
  if (!isDownload(path) || answer.downloadReady || !forget) return false;
  forget(path.videoId);
  return true;
}

export interface DownloadTarget {
  key: string;
  type: MediaType;
  cacheControl: string;
  /** Sent with the file's answers. */
  headers: Record<string, string>;
}

/**
 * What the origin serves for `download.mp4`: the stored file, under the
 * same playback rules as the stream (the caller has checked them), only
 * while the catalog says the download is READY (not_found otherwise, even
 * if a file is stored), with a Content-Disposition naming it after the
 * title. Never kept in the origin's memory cache (too large; read once per
 * viewer). Undefined for any other file.
 */
export function downloadTargetOf(path: OriginPath, answer: Playable, type: MediaType, cacheControl: string): DownloadTarget | "not_found" | undefined {
  if (!isDownload(path)) return undefined;
  if (!answer.downloadReady) return "not_found";
  return { key: mediaKey(path.videoId, path.outputId, DOWNLOAD_FILE), type, cacheControl, headers: { "content-disposition": downloadDisposition(answer.title ?? "") } };
}
