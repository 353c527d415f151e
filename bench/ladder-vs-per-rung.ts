/**
 * One-decode ladder vs one ffmpeg process per rung, on the same source and
 * settings. Run from the repo root:
 *   node --import tsx bench/ladder-vs-per-rung.ts [--seconds 20] [--preset veryfast]
 * Prints wall and CPU time of each and the ratios one-decode / per-rung
 * (below 1: the single process is cheaper). CPU time is the steadier figure
 * on a busy host. Not part of the tests.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { buildLadderCommand, buildPerRungCommands, planLadder, probeSource, runFfmpeg } from "@kino/media";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" }, preset: { type: "string", default: "veryfast" } } });
const seconds = Number(values.seconds);
const preset = values.preset;

/**
 * CPU seconds of the children this process has reaped (Linux /proc/self/stat
 * cutime + cstime): the work each variant cost, whatever else the host runs.
 */
async function childCpuSeconds(): Promise<number> {
  const stat = await readFile("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of stat(5), counted from the state field (3): indexes 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}
// USER_HZ: 100 on every Linux architecture Node supports.
const CLOCK_TICKS_PER_SECOND = 100;

async function timed(run: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = await childCpuSeconds();
  const started = process.hrtime.bigint();
  await run();
  return { wall: Number(process.hrtime.bigint() - started) / 1e9, cpu: (await childCpuSeconds()) - cpuBefore };
}

function describe(label: string, t: { wall: number; cpu: number }): string {
  return `${label} ${t.wall.toFixed(2)} s wall (${(seconds / t.wall).toFixed(2)}x realtime), ${t.cpu.toFixed(2)} s CPU`;
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
  console.log(describe("one process, one decode:     ", oneDecode));

  const perRung = await timed(async () => {
    for (const args of buildPerRungCommands({ input: source, plan, outDir: join(dir, "per-rung"), preset })) await runFfmpeg({ args });
  });
  console.log(describe("one process per rung, in turn:", perRung));
  console.log(
    `ratio one-decode / per-rung: wall ${(oneDecode.wall / perRung.wall).toFixed(3)}, CPU ${(oneDecode.cpu / perRung.cpu).toFixed(3)} (target ≤ 0.92)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
