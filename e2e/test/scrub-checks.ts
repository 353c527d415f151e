import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { assertStoryboard, webpAnimationFrames } from "@kino/testkit";

const run = promisify(execFile);

/** The EXT-X-I-FRAME-STREAM-INF lines of a master, attributes with quotes removed. */
export function parseIFrameStreams(master: string): Record<string, string>[] {
  return master
    .split("\n")
    .filter((l) => l.startsWith("#EXT-X-I-FRAME-STREAM-INF:"))
    .map((line) => Object.fromEntries([...line.slice("#EXT-X-I-FRAME-STREAM-INF:".length).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, "")])));
}

async function bytes(url: string, range?: string): Promise<{ body: Buffer; type: string | null; status: number }> {
  const response = await fetch(url, range ? { headers: { range } } : {});
  return { body: Buffer.from(await response.arrayBuffer()), type: response.headers.get("content-type"), status: response.status };
}

/**
 * Through the origin: the master lists one I-frame playlist per variant
 * (same resolution, the video codec alone), each an EXT-X-I-FRAMES-ONLY
 * playlist whose every byte range, fetched with a Range request and put
 * after the rung's init segment, decodes as a keyframe first; the ranges'
 * durations add up to the video's.
 */
export async function checkIFramePlaylists(masterUrl: string, master: string, variantUris: readonly string[], durationSeconds: number, scratch: string): Promise<void> {
  const streams = parseIFrameStreams(master);
  assert.deepEqual(streams.map((s) => s.URI), variantUris.map((u) => u.replace(/index\.m3u8$/, "iframes.m3u8")), "one I-frame playlist per variant, in the same order");
  for (const [n, stream] of streams.entries()) {
    assert.ok(Number(stream.BANDWIDTH) > 0 && stream.RESOLUTION && /^avc1\.[0-9a-f]{6}$/.test(stream.CODECS ?? ""), JSON.stringify(stream));
    const playlistUrl = new URL(stream.URI!, masterUrl);
    const response = await fetch(playlistUrl);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/vnd.apple.mpegurl");
    const text = await response.text();
    assert.match(text, /^#EXT-X-I-FRAMES-ONLY$/m);
    const init = (await bytes(new URL(/#EXT-X-MAP:URI="([^"]+)"/.exec(text)![1]!, playlistUrl).toString())).body;
    const lines = text.split("\n");
    let total = 0;
    let ranges = 0;
    for (const [i, line] of lines.entries()) {
      const range = /^#EXT-X-BYTERANGE:(\d+)@(\d+)$/.exec(line);
      if (!range) continue;
      total += Number(/^#EXTINF:([\d.]+),/.exec(lines[i - 1] ?? "")?.[1] ?? NaN);
      const [length, offset] = [Number(range[1]), Number(range[2])];
      const part = await bytes(new URL(lines[i + 1]!, playlistUrl).toString(), `bytes=${offset}-${offset + length - 1}`);
      assert.equal(part.status, 206);
      assert.equal(part.body.length, length);
      const file = join(scratch, `iframe-${n}-${ranges++}.mp4`);
      await writeFile(file, Buffer.concat([init, part.body]));
      const { stdout } = await run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "json", file]);
      const first = (JSON.parse(stdout) as { frames: { key_frame: number; pict_type: string }[] }).frames[0];
      assert.deepEqual([first?.key_frame, first?.pict_type], [1, "I"], `${stream.URI} range ${length}@${offset} starts a keyframe`);
    }
    assert.ok(ranges >= 2, `${stream.URI}: ${ranges} I-frames`);
    assert.ok(Math.abs(total - durationSeconds) < 0.15, `${stream.URI}: I-frames span ${total}s of ${durationSeconds}s`);
  }
}

/**
 * Through the origin: the storyboard is text/vtt whose cues cover the
 * whole duration with no gap, each tile inside its JPEG sheet (its size
 * read by ffprobe from the served bytes); the preview is an animated WebP.
 */
export async function checkStoryboardAndPreview(originUrl: string, storyboardPath: string, previewPath: string, durationSeconds: number, scratch: string): Promise<void> {
  const vtt = await bytes(`${originUrl}${storyboardPath}`);
  assert.equal(vtt.status, 200);
  assert.equal(vtt.type, "text/vtt; charset=utf-8");
  const vttUrl = new URL(storyboardPath, originUrl);
  let sheets = 0;
  await assertStoryboard(vtt.body.toString("utf8"), durationSeconds, async (sheet) => {
    const image = await bytes(new URL(sheet, vttUrl).toString());
    assert.equal(image.status, 200);
    assert.equal(image.type, "image/jpeg");
    const file = join(scratch, `sheet-${sheets++}.jpg`);
    await writeFile(file, image.body);
    const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "json", file]);
    const stream = (JSON.parse(stdout) as { streams: { width: number; height: number }[] }).streams[0]!;
    return { width: stream.width, height: stream.height };
  });
  const preview = await bytes(`${originUrl}${previewPath}`);
  assert.equal(preview.status, 200);
  assert.equal(preview.type, "image/webp");
  assert.ok(webpAnimationFrames(preview.body) > 1, "the preview is animated");
}
