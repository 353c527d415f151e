/**
 * One-decode ladder vs one ffmpeg process per rung, on the same source and
 * settings. Run from the repo root:
 *   node --import tsx transcoder/bench/ladder-vs-per-rung.ts [--seconds 20] [--preset veryfast]
 * Prints wall times and the ratio per-rung / one-decode (above 1: the
 * single process is faster). Not part of the tests.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { buildLadderCommand, buildPerRungCommands, planLadder, probeSource, runFfmpeg } from "../src/index.ts";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" }, preset: { type: "string", default: "veryfast" } } });
const seconds = Number(values.seconds);
const preset = values.preset;

async function timed(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const dir = await mkdtemp(join(tmpdir(), "kino-bench-ladder-"));
try {
  const source = join(dir, "source.mp4");
  // A near-lossless 1080p30 source, so decoding it costs what a real upload's decode costs.
  await promisify(execFile)("ffmpeg", [
    "-hide_banner", "-v", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", source,
  ]);
  const plan = planLadder(await probeSource(source));
  console.log(`source 1920x1080 30 fps ${seconds}s; rungs ${plan.rungs.map((r) => r.name).join(" ")}; preset ${preset}; ${availableParallelism()} cores`);

  const oneDecode = await timed(() => runFfmpeg({ args: buildLadderCommand({ input: source, plan, outDir: join(dir, "ladder"), preset }) }));
  console.log(`one process, one decode:      ${oneDecode.toFixed(2)} s (${(seconds / oneDecode).toFixed(2)}x realtime)`);

  const perRung = await timed(async () => {
    for (const args of buildPerRungCommands({ input: source, plan, outDir: join(dir, "per-rung"), preset })) await runFfmpeg({ args });
  });
  console.log(`one process per rung, in turn: ${perRung.toFixed(2)} s (${(seconds / perRung).toFixed(2)}x realtime)`);
  console.log(`ratio per-rung / one-decode:   ${(perRung / oneDecode).toFixed(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
