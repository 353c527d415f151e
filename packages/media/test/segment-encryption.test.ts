import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, decodedFrames, makeClip, type TempDir } from "@kino/testkit";
import { CONTENT_KEY_NAME, decryptSegment, encryptTrack, parseMediaPlaylist, planPublication, remuxPassthrough, segmentIvs, type PassthroughRendition } from "../src/index.ts";
import { randomBytes } from "node:crypto";

let dir: TempDir;
let outDir: string;
let remuxed: PassthroughRendition;
const key = randomBytes(16);

before(async () => {
  dir = await createTempDir("kino-encrypt");
  const source = await makeClip(join(dir.path, "clip.mp4"), { seconds: 4, gop: 30 });
  const publication = await planPublication(source);
  assert.ok(publication.passthrough.ok, "the test clip passes through");
  outDir = join(dir.path, "out");
  remuxed = await remuxPassthrough({ input: source, probe: publication.probe, tracks: publication.plan.audio, audio: publication.passthrough.audio, outDir, segmentSeconds: 1, scan: publication.scan });
});
after(async () => dir.remove());

async function joined(trackDir: string, target: string, decrypt: boolean): Promise<string> {
  const text = await readFile(join(outDir, trackDir, "index.m3u8"), "utf8");
  const playlist = parseMediaPlaylist(text);
  const ivs = segmentIvs(text);
  const parts: Buffer[] = [await readFile(join(outDir, trackDir, playlist.mapUri!))];
  for (const segment of playlist.segments) {
    const bytes = await readFile(join(outDir, trackDir, segment.uri));
    parts.push(decrypt ? decryptSegment(key, ivs.get(segment.uri)!, bytes) : bytes);
  }
  await writeFile(target, Buffer.concat(parts));
  return target;
}

test("every segment of the video track and the audio group is encrypted whole (AES-128-CBC): init + segments decode only after decrypting with the key", async () => {
  const tracks = ["source", ...remuxed.audio.map((a) => a.playlist.replace(/\/index\.m3u8$/, ""))];
  assert.equal(tracks.length, 2, "a picture and one audio track");
  const clearFrames = await Promise.all(tracks.map((t, i) => joined(t, join(dir.path, `clear-${i}.mp4`), false).then(decodedFrames)));
  assert.ok(clearFrames.every((n) => n > 0), `the clear tracks decode: ${clearFrames}`);
  const clearSegment = await readFile(join(outDir, "source", "seg_00001.m4s"));

  for (const track of tracks) await encryptTrack(outDir, track, key);

  const encryptedSegment = await readFile(join(outDir, "source", "seg_00001.m4s"));
  assert.notDeepEqual(encryptedSegment.subarray(0, 64), clearSegment.subarray(0, 64));
  assert.equal(encryptedSegment.length, (Math.floor(clearSegment.length / 16) + 1) * 16, "PKCS#7 pads to the next whole block");
  for (const [i, track] of tracks.entries()) {
    assert.equal(await decodedFrames(await joined(track, join(dir.path, `enc-${i}.mp4`), false)), 0, `${track}: encrypted segments yield no frames`);
    assert.equal(await decodedFrames(await joined(track, join(dir.path, `dec-${i}.mp4`), true)), clearFrames[i], `${track}: decrypted, every frame is back`);
  }
});

test("the playlists: EXT-X-MAP before the first EXT-X-KEY (init clear), one key line per segment with its own IV, the key URI relative to the output root; never encrypted twice", async () => {
  for (const [track, uri] of [["source", `../${CONTENT_KEY_NAME}`], [remuxed.audio[0]!.playlist.replace(/\/index\.m3u8$/, ""), `../../${CONTENT_KEY_NAME}`]] as const) {
    await encryptTrack(outDir, track, key); // idempotent whatever the order of the tests
    const text = await readFile(join(outDir, track, "index.m3u8"), "utf8");
    const lines = text.split("\n");
    const mapAt = lines.findIndex((l) => l.startsWith("#EXT-X-MAP:"));
    const firstKeyAt = lines.findIndex((l) => l.startsWith("#EXT-X-KEY:"));
    assert.ok(mapAt >= 0 && firstKeyAt > mapAt, "the init segment is declared before any key applies");
    const keyLines = lines.filter((l) => l.startsWith("#EXT-X-KEY:"));
    const segments = parseMediaPlaylist(text).segments;
    assert.equal(keyLines.length, segments.length);
    for (const line of keyLines) assert.match(line, new RegExp(`^#EXT-X-KEY:METHOD=AES-128,URI="${uri.replace(/\./g, "\\.")}",IV=0x[0-9a-f]{32}$`));
    assert.equal(new Set(keyLines).size, keyLines.length, "a fresh IV per segment");
    const before = await readFile(join(outDir, track, segments[0]!.uri));
    await encryptTrack(outDir, track, key);
    assert.equal(await readFile(join(outDir, track, "index.m3u8"), "utf8"), text);
    assert.deepEqual(await readFile(join(outDir, track, segments[0]!.uri)), before);
  }
  await assert.rejects(encryptTrack(outDir, "source", randomBytes(15)), /16 bytes/);
});
