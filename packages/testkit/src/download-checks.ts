import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The top-level box types of an MP4 file, in order. */
export function topLevelBoxes(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    let size = view.getUint32(at);
    if (size === 1) size = Number(view.getBigUint64(at + 8));
    else if (size === 0) size = bytes.length - at;
    boxes.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 8)));
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  duration?: string;
  nb_read_frames?: string;
}

/**
 * Checks a progressive download: a plain MP4 (not fragmented) whose moov
 * comes before its mdat, with one H.264 video and (when `audio`) one AAC
 * track, that ffmpeg decodes end to end without an error, lasting
 * `durationSeconds` (±0.25 s) with every frame of it decoded.
 */
export async function assertProgressiveMp4(path: string, expected: { durationSeconds: number; frameRate: number; audio: boolean }): Promise<void> {
  const boxes = topLevelBoxes(await readFile(path));
  assert.ok(boxes.includes("moov") && boxes.includes("mdat"), `moov and mdat: ${boxes.join(",")}`);
  assert.ok(boxes.indexOf("moov") < boxes.indexOf("mdat"), `moov before mdat (+faststart): ${boxes.join(",")}`);
  assert.ok(!boxes.includes("moof"), `not fragmented: ${boxes.join(",")}`);
  const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=codec_type,codec_name,duration,nb_read_frames:format=duration", "-print_format", "json", path]);
  const probed = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration: string } };
  const video = probed.streams.filter((s) => s.codec_type === "video");
  const audio = probed.streams.filter((s) => s.codec_type === "audio");
  assert.deepEqual(video.map((s) => s.codec_name), ["h264"]);
  assert.deepEqual(audio.map((s) => s.codec_name), expected.audio ? ["aac"] : []);
  const duration = Number(probed.format.duration);
  assert.ok(Math.abs(duration - expected.durationSeconds) <= 0.25, `duration ${duration} s, expected ${expected.durationSeconds} s`);
  const frames = Number(video[0]!.nb_read_frames);
  assert.ok(Math.abs(frames - expected.durationSeconds * expected.frameRate) <= 2, `${frames} video frames decoded, expected ${expected.durationSeconds * expected.frameRate}`);
  if (expected.audio) assert.ok(Number(audio[0]!.nb_read_frames) > 0, "audio frames decoded");
  const decoded = await execFileAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"]);
  assert.equal(decoded.stderr.trim(), "", "decodes end to end without an error");
}
