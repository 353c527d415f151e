import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { mediaKey, type Storage } from "@kino/storage";
import { createTempDir } from "@kino/testkit";

const run = promisify(execFile);

/** Video frames in the package: 2 s at 24 fps. */
export const packageFrames = 48;

/** A 2 s, 320x180 CMAF package as the transcoder lays it out: master.m3u8 and 180p/{index.m3u8,init.mp4,seg_*.m4s}. */
async function packageTinyClip(dir: string): Promise<string[]> {
  await run("ffmpeg", [
    "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", `testsrc=size=320x180:rate=24:duration=${packageFrames / 24}`,
    "-f", "lavfi", "-i", `sine=frequency=440:duration=${packageFrames / 24}`,
    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "24", "-c:a", "aac",
    "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
    "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", join(dir, "%v", "seg_%05d.m4s"),
    "-master_pl_name", "master.m3u8", "-var_stream_map", "v:0,a:0,name:180p",
    join(dir, "%v", "index.m3u8"),
  ]);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** Packages the tiny clip with ffmpeg and stores it as each of `outputIds` of the video; returns the files' paths within an output. */
export async function storeTinyPackage(storage: Storage, videoId: string, outputIds: string[]): Promise<string[]> {
  const work = await createTempDir("kino-hls-package-");
  try {
    const files = await packageTinyClip(work.path);
    for (const file of files) {
      const bytes = await readFile(join(work.path, file));
      for (const outputId of outputIds) await storage.put(mediaKey(videoId, outputId, ...(file.split("/") as [string, ...string[]])), bytes);
    }
    return files.sort();
  } finally {
    await work.remove();
  }
}
