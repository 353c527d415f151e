import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { buildLadderCommand, buildPerRungCommands, parseMediaPlaylist, planLadder, probeSource, runFfmpeg, type LadderPlan } from "../src/index.ts";
import { AWKWARD_SOURCES, makeClip } from "@kino/testkit";

describe("buildLadderCommand", () => {
  let dir: TempDir;
  let clip: string;
  let plan: LadderPlan;

  before(async () => {
    dir = await createTempDir("kino-args-");
    clip = await makeClip(join(dir.path, "clip.mp4"), { width: 640, height: 360, seconds: 4 });
    plan = planLadder(await probeSource(clip));
  });
  after(() => dir.remove());

  it("decodes the source once and splits it to every rung; the audio is encoded once, as a variant of its own", () => {
    const args = buildLadderCommand({ input: clip, plan, outDir: join(dir.path, "out") });
    assert.equal(args.filter((a) => a === "-i").length, 1);
    assert.match(args[args.indexOf("-filter_complex") + 1]!, /split=2\[s0\]\[s1\]/);
    assert.equal(args[args.indexOf("-var_stream_map") + 1], "v:0,name:360p v:1,name:240p a:0,name:audio/und");
    assert.equal(args.filter((a) => a === "-c:a:0").length, 1);
    assert.ok(!args.includes("-c:a:1"), "one audio encode for the whole ladder");
    assert.equal(args[args.indexOf("-force_key_frames") + 1], "expr:gte(t,n_forced*2)");
  });

  it("refuses a keyframe interval that does not divide the segment length", () => {
    assert.throws(() => buildLadderCommand({ input: clip, plan, outDir: dir.path, segmentSeconds: 5, keyframeSeconds: 2 }), /must divide/);
  });

  it("encodes only the requested time range", async () => {
    const outDir = join(dir.path, "range");
    await runFfmpeg({ args: buildLadderCommand({ input: clip, plan: { ...plan, audio: [] }, outDir, range: { start: 1, end: 3 }, preset: "ultrafast" }) });
    for (const rung of plan.rungs) {
      const playlist = parseMediaPlaylist(await readFile(join(outDir, rung.name, "index.m3u8"), "utf8"));
      const seconds = playlist.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
      assert.ok(Math.abs(seconds - 2) < 0.05, `${rung.name} holds ${seconds}s`);
    }
  });

  it("refuses a range with audio: the audio group is made once, for the whole source", () => {
    assert.throws(() => buildLadderCommand({ input: clip, plan, outDir: dir.path, range: { start: 0, end: 1 } }), /picture only/);
  });

  it("encodes a range from the start of a stream without timestamps (raw H.264), which even -ss 0 would empty", async () => {
    const raw = await AWKWARD_SOURCES.find((s) => s.file === "raw.h264")!.make(join(dir.path, "raw.h264"));
    const rawPlan = planLadder(await probeSource(raw));
    const outDir = join(dir.path, "raw-range");
    await runFfmpeg({ args: buildLadderCommand({ input: raw, plan: { ...rawPlan, audio: [] }, outDir, range: { start: 0, end: 1 }, preset: "ultrafast" }) });
    const playlist = parseMediaPlaylist(await readFile(join(outDir, rawPlan.rungs[0]!.name, "index.m3u8"), "utf8"));
    const seconds = playlist.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
    assert.ok(Math.abs(seconds - 1) < 0.05, `holds ${seconds}s`);
  });

  it("builds one single-rung process per rung for the per-rung baseline", () => {
    const commands = buildPerRungCommands({ input: clip, plan, outDir: join(dir.path, "per-rung") });
    assert.equal(commands.length, 2);
    assert.deepEqual(commands.map((args) => args[args.indexOf("-var_stream_map") + 1]), ["v:0,name:360p a:0,name:audio/und", "v:0,name:240p a:0,name:audio/und"]);
  });
});
