import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { buffer } from "node:stream/consumers";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { DOWNLOAD_NAME, downloadTracksOf, makeDownloadMp4, MASTER_PLAYLIST_NAME, trackFiles } from "@kino/media";
import { mediaKey, type Storage } from "@kino/storage";
import { contentTypeFor } from "../outputs/upload-outputs.ts";
import { makeScratchDir } from "../pool/scratch-dir.ts";

export interface StoredDownloadOptions {
  storage: Storage;
  videoId: string;
  outputId: string;
  /** Where the scratch directory is made. */
  tempRoot: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/** A published output's file as a storage key; every name comes from playlists we wrote, checked by mediaKey. */
const keyOf = (options: StoredDownloadOptions, file: string) => mediaKey(options.videoId, options.outputId, ...(file.split("/") as [string, ...string[]]));

async function fetchText(options: StoredDownloadOptions, file: string): Promise<string> {
  return (await buffer((await options.storage.get(keyOf(options, file))).body)).toString("utf8");
}

/**
 * Makes a published output's MP4 download from what is stored: the master
 * names the top rung and the default audio track, whose playlists, init and
 * media segments are fetched into a scratch directory of its own, joined
 * and copied into `download.mp4`, which is stored beside them. Resolves with
 * its key and size; leaves no scratch files behind.
 */
export async function makeStoredDownload(options: StoredDownloadOptions): Promise<{ key: string; sizeBytes: number }> {
  const { storage, signal } = options;
  const scratch = await makeScratchDir(options.tempRoot);
  try {
    const tracks = downloadTracksOf(await fetchText(options, MASTER_PLAYLIST_NAME));
    if (!tracks) throw new Error("the master playlist names no rung to make a download from");
    for (const playlist of [tracks.video, ...(tracks.audio ? [tracks.audio] : [])]) {
      const text = await fetchText(options, playlist);
      for (const file of trackFiles(playlist, text)) {
        signal?.throwIfAborted();
        await mkdir(dirname(join(scratch, file)), { recursive: true });
        await pipeline((await storage.get(keyOf(options, file))).body, createWriteStream(join(scratch, file)), ...(signal ? [{ signal }] : []));
      }
      await mkdir(dirname(join(scratch, playlist)), { recursive: true });
      await writeFile(join(scratch, playlist), text);
    }
    const outFile = join(scratch, DOWNLOAD_NAME);
    const sizeBytes = await makeDownloadMp4({ dir: scratch, tracks, outFile, ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}), ...(signal ? { signal } : {}) });
    const key = keyOf(options, DOWNLOAD_NAME);
    await storage.put(key, createReadStream(outFile), { contentType: contentTypeFor(DOWNLOAD_NAME) });
    return { key, sizeBytes };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
