import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CmafRendition {
  name: string;
  playlist: string;
}

/**
 * A small CMAF package as the transcoder lays one out: each rung a folder of
 * init.mp4 + seg_NNNNN.m4s under an index.m3u8, video and audio in separate
 * tracks, keyframes every 2 s so the rungs share boundaries.
 */
export async function makeCmafPackage(dir: string, seconds: number): Promise<{ video: CmafRendition[]; audio: CmafRendition }> {
  const video = [
    { name: "360p", size: "640x360", bitrate: "600k" },
    { name: "180p", size: "320x180", bitrate: "200k" },
  ];
  const hls = (name: string) => ["-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", join(dir, name, "seg_%05d.m4s"), join(dir, name, "index.m3u8")];
  for (const r of video) {
    await mkdir(join(dir, r.name), { recursive: true });
    await run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `testsrc2=size=${r.size}:rate=24:duration=${seconds}`, "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-b:v", r.bitrate, "-g", "48", "-keyint_min", "48", "-sc_threshold", "0", ...hls(r.name)]);
  }
  await mkdir(join(dir, "audio"), { recursive: true });
  await run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`, "-c:a", "aac", "-b:a", "96k", "-ac", "2", ...hls("audio")]);
  return { video: video.map((r) => ({ name: r.name, playlist: `${r.name}/index.m3u8` })), audio: { name: "audio", playlist: "audio/index.m3u8" } };
}
