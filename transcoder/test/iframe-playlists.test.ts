import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { open, readFile, writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import { encodeRungs, planPublication, remuxPassthrough, renderMasterPlaylist, type FinishedRendition } from "@kino/media";
import { writeIFramePlaylist } from "../src/outputs/iframe-playlists.ts";

const execFileAsync = promisify(execFile);

interface Entry {
  durationSeconds: number;
  length: number;
  offset: number;
  uri: string;
}

function parseIFrames(text: string): { map: string; entries: Entry[] } {
  assert.match(text, /^#EXT-X-I-FRAMES-ONLY$/m);
  assert.match(text, /#EXT-X-ENDLIST\n$/);
  const map = /^#EXT-X-MAP:URI="([^"]+)"$/m.exec(text)?.[1];
  assert.ok(map, "an EXT-X-MAP to the rung's init segment");
  const entries: Entry[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const inf = /^#EXTINF:([\d.]+),$/.exec(line);
    if (!inf) return;
    const range = /^#EXT-X-BYTERANGE:(\d+)@(\d+)$/.exec(lines[i + 1] ?? "");
    assert.ok(range, `EXT-X-BYTERANGE after EXTINF at line ${i + 1}`);
    entries.push({ durationSeconds: Number(inf[1]), length: Number(range[1]), offset: Number(range[2]), uri: lines[i + 2]! });
  });
  return { map, entries };
}

/** Decodes init + one byte range alone, as a player scrubbing would: the first frame must be a keyframe. */
async function firstFrame(init: Buffer, segmentPath: string, entry: Entry, scratch: string): Promise<{ key_frame: number; pict_type: string }> {
  const handle = await open(segmentPath);
  const bytes = Buffer.alloc(entry.length);
  try {
    const { bytesRead } = await handle.read(bytes, 0, entry.length, entry.offset);
    assert.equal(bytesRead, entry.length, "the range lies inside the segment file");
  } finally {
    await handle.close();
  }
  await writeFile(scratch, Buffer.concat([init, bytes]));
  const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "json", scratch]);
  const frames = JSON.parse(stdout).frames as { key_frame: number; pict_type: string }[];
  assert.ok(frames.length >= 1, `a frame decodes from ${entry.uri} ${entry.length}@${entry.offset}`);
  return frames[0]!;
}

async function checkRung(outDir: string, rung: FinishedRendition, durationSeconds: number): Promise<number> {
  const written = await writeIFramePlaylist(outDir, rung);
  assert.equal(written.file, `${rung.rendition.name}/iframes.m3u8`);
  const { map, entries } = parseIFrames(await readFile(join(outDir, written.file), "utf8"));
  assert.equal(map, "init.mp4");
  assert.ok(entries.length >= 2, `${rung.rendition.name}: ${entries.length} I-frames`);
  const listed = new Set(rung.files.map((f) => posix.basename(f)));
  const init = await readFile(join(outDir, rung.rendition.name, map));
  for (const [i, entry] of entries.entries()) {
    assert.ok(listed.has(entry.uri), `${entry.uri} is a segment the media playlist lists (no copy)`);
    const frame = await firstFrame(init, join(outDir, rung.rendition.name, entry.uri), entry, join(outDir, `probe-${rung.rendition.name}-${i}.mp4`));
    assert.deepEqual([frame.key_frame, frame.pict_type], [1, "I"], `${rung.rendition.name} I-frame ${i} starts a keyframe`);
  }
  const total = entries.reduce((sum, e) => sum + e.durationSeconds, 0);
  assert.ok(Math.abs(total - durationSeconds) < 0.1, `${rung.rendition.name}: I-frames span ${total}s of ${durationSeconds}s`);
  assert.ok(written.variant.bandwidth > 0);
  assert.equal(written.variant.codecs, rung.video.codecs);
  return entries.length;
}

describe("I-frame playlists", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-iframes-");
  });
  after(() => dir.remove());

  it("the passthrough rung and the encoded ladder: every byte range decodes alone as a keyframe, and the master lists one per rung", async () => {
    const input = await makeClip(join(dir.path, "clip.mp4"), { width: 320, height: 180, seconds: 5, gop: 30 });
    const publication = await planPublication(input);
    assert.ok(publication.passthrough.ok, "a standard source");
    const outDir = join(dir.path, "out");
    const source = await remuxPassthrough({
      input, probe: publication.probe, tracks: publication.plan.audio, audio: publication.passthrough.audio, outDir, segmentSeconds: 2, scan: publication.scan,
    });
    const seconds = publication.probe.durationSeconds;
    await checkRung(outDir, source, seconds);
    const ladder = await encodeRungs({
      input, plan: publication.plan, rungs: publication.plan.rungs, audio: source.audio, outDir, preset: "ultrafast", segmentSeconds: 2, keyframeTimes: source.boundaries, durationSeconds: seconds,
    });
    const variants = [];
    for (const rung of ladder.rungs) {
      await checkRung(outDir, rung, seconds);
      variants.push((await writeIFramePlaylist(outDir, rung)).variant);
    }
    const master = renderMasterPlaylist(ladder.rungs.map((r) => r.rendition), ladder.audio.map((a) => a.rendition), variants);
    const lines = master.split("\n").filter((l) => l.startsWith("#EXT-X-I-FRAME-STREAM-INF:"));
    assert.equal(lines.length, ladder.rungs.length);
    for (const [i, rung] of ladder.rungs.entries()) {
      assert.match(lines[i]!, new RegExp(`RESOLUTION=${rung.rendition.width}x${rung.rendition.height},CODECS="${rung.video.codecs}",URI="${rung.rendition.name}/iframes.m3u8"`));
      assert.match(lines[i]!, /BANDWIDTH=\d+/);
    }
  });
});
