import { createReadStream } from "node:fs";
import { extname, join } from "node:path";
import { mediaKey, mediaPrefix, type Storage } from "@kino/storage";
import { mapLimit } from "./map-limit.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".mpd": "application/dash+xml",
  ".m4s": "video/mp4",
  ".mp4": "video/mp4",
  ".jpg": "image/jpeg",
  ".vtt": "text/vtt; charset=utf-8",
  ".webp": "image/webp",
};

export function contentTypeFor(file: string): string {
  const type = CONTENT_TYPES[extname(file).toLowerCase()];
  if (!type) throw new RangeError(`no content type known for output file ${file}`);
  return type;
}

const OUTPUT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `media/<videoId>/<outputId>/`: everything one transcode attempt published. */
export function outputPrefix(videoId: string, outputId: string): string {
  if (!OUTPUT_ID.test(outputId)) throw new RangeError(`invalid output id ${JSON.stringify(outputId)}: expected 1-64 characters of [A-Za-z0-9_-]`);
  return `${mediaPrefix(videoId)}${outputId}/`;
}

export interface UploadOutputsOptions {
  storage: Storage;
  videoId: string;
  /** Identifies this attempt, so a retry never overwrites what a reader may be streaming. */
  outputId: string;
  /** Directory the files are relative to. */
  localDir: string;
  /** Relative paths with "/" separators, as transcodeToHls returns them. */
  files: readonly string[];
  concurrency?: number;
  signal?: AbortSignal;
  /** Awaited before each file is read: for files still being written (a passthrough's segments). */
  ready?: (file: string) => Promise<void>;
  /** Called after each file lands, with how many of how many are done. */
  onFileUploaded?: (uploaded: number, total: number) => void;
}

export interface UploadedOutputs {
  prefix: string;
  /** Storage key of every file, in the order given. */
  keys: string[];
  masterKey?: string;
}

const isManifest = (f: string) => f.endsWith(".m3u8") || f.endsWith(".mpd");

/**
 * Media first, then media playlists, then the master playlist and the DASH
 * manifest: a reader who finds a playlist can fetch everything it names.
 */
function uploadPhases(files: readonly string[]): string[][] {
  const manifests = files.filter(isManifest);
  return [files.filter((f) => !isManifest(f)), manifests.filter((f) => f.includes("/")), manifests.filter((f) => !f.includes("/"))];
}

export async function uploadOutputs(options: UploadOutputsOptions): Promise<UploadedOutputs> {
  const { storage, videoId, outputId, signal } = options;
  const prefix = outputPrefix(videoId, outputId);
  const keyOf = (file: string) => mediaKey(videoId, outputId, ...(file.split("/") as [string, ...string[]]));
  // Validate every key before the first byte moves, so a bad name cannot leave half a package.
  const keys = options.files.map(keyOf);
  let uploaded = 0;
  for (const phase of uploadPhases(options.files)) {
    await mapLimit(phase, options.concurrency ?? 4, async (file) => {
      signal?.throwIfAborted();
      await options.ready?.(file);
      signal?.throwIfAborted();
      await storage.put(keyOf(file), createReadStream(join(options.localDir, file)), { contentType: contentTypeFor(file) });
      options.onFileUploaded?.(++uploaded, options.files.length);
    });
  }
  const master = options.files.find((f) => f.endsWith(".m3u8") && !f.includes("/"));
  return { prefix, keys, ...(master ? { masterKey: keyOf(master) } : {}) };
}

/** Removes one attempt's outputs (an abandoned or superseded attempt); returns how many objects went. */
export async function deleteOutputs(storage: Storage, videoId: string, outputId: string): Promise<number> {
  return storage.deleteByPrefix(outputPrefix(videoId, outputId));
}
