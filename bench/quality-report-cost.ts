/**
 * What the quality report costs: CPU seconds (user + sys) of measuring SSIM
 * and PSNR of every rung against the source, over the CPU seconds of
 * encoding that ladder, in the same run, on the same generated 1080p30
 * source. Run from the repo root:
 *   node --import tsx bench/quality-report-cost.ts [--seconds 60] [--preset veryfast] [--noise 0] [--gop 60]
 * `--noise N` adds ffmpeg's temporal noise of strength N (camera grain):
 * harder to encode, and to decode. `--gop` is the source's keyframe
 * interval in frames: 60 (2 s) as phones and editors write; x264's default
 * 250 makes each sampled window of the source decode from up to 8 s before
 * it. Prints both and the ratio (target ≤ 0.10).
 * Not part of the tests.
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { encodeRungs, measureQuality, planPublication } from "@kino/media";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    preset: { type: "string", default: "veryfast" },
    noise: { type: "string", default: "0" },
    gop: { type: "string", default: "60" },
  },
});
const seconds = Number(values.seconds);
const noise = Number(values.noise);

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/**
 * CPU seconds of this process and of its children that have exited
 * (cutime + cstime of /proc/self/stat: Node reaps each ffmpeg it spawns).
 */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 here, counting from field 3.
  const children = (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  const self = process.cpuUsage();
  return children + (self.user + self.system) / 1e6;
}

async function measured<T>(work: () => Promise<T>): Promise<{ value: T; cpu: number; wall: number }> {
  const [cpu0, wall0] = [cpuSeconds(), performance.now()];
  const value = await work();
  return { value, cpu: cpuSeconds() - cpu0, wall: (performance.now() - wall0) / 1000 };
}

const dir = await mkdtemp(join(tmpdir(), "kino-bench-quality-"));
try {
  const source = join(dir, "source.mp4");
  const picture = `testsrc2=size=1920x1080:rate=30:duration=${seconds}${noise > 0 ? `,noise=alls=${noise}:allf=t` : ""}`;
  await promisify(execFile)("ffmpeg", [
    ...["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", picture],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-g", values.gop!, "-pix_fmt", "yuv420p", source],
  ]);
  const { probe, plan } = await planPublication(source);
  console.log(
    `source 1920x1080 30 fps ${seconds} s, keyframe every ${values.gop} frames${noise > 0 ? `, noise ${noise}` : ""} (${((await stat(source)).size / 2 ** 20).toFixed(1)} MiB); ` +
      `rungs ${plan.rungs.map((r) => r.name).join(" ")}; preset ${values.preset}; ${availableParallelism()} cores`,
  );

  const outDir = join(dir, "out");
  const encode = await measured(() =>
    encodeRungs({ input: source, plan, rungs: plan.rungs, audio: "encode", outDir, preset: values.preset, durationSeconds: probe.durationSeconds }),
  );
  const quality = await measured(() =>
    measureQuality({ input: source, plan, outDir, rungs: encode.value.rungs, workDir: join(dir, "quality") }),
  );
  for (const [name, q] of quality.value) {
    console.log(`  ${name}: SSIM ${q.ssim.toFixed(4)}, PSNR ${q.psnrDb.toFixed(2)} dB, ${q.framesCompared} frames of ${Math.round(probe.durationSeconds * 30)}`);
  }
  console.log(`ladder encode: ${encode.cpu.toFixed(2)} CPU s (${encode.wall.toFixed(2)} s wall)`);
  console.log(`quality report: ${quality.cpu.toFixed(2)} CPU s (${quality.wall.toFixed(2)} s wall)`);
  console.log(`ratio quality/encode CPU ${(quality.cpu / encode.cpu).toFixed(3)} (target ≤ 0.10)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
