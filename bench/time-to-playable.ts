/**
 * Time to playable: from the final tus PATCH's response to the first
 * successful fetch of a playable master playlist from the origin, p50 of
 * --runs runs, for 1-minute and 5-minute 1080p30 standard H.264/AAC sources
 * and a 5-minute non-standard one (H.264 High 10, which no browser decodes);
 * also the time to the complete ladder (READY). Starts its own PostgreSQL,
 * Redis and NATS (Debian's) on free ports; run from the repo root:
 *   node --import tsx bench/time-to-playable.ts [--runs 3] [--ladder-runs 3] [--preset veryfast] [--only std60,std300,ns300]
 * --ladder-runs N: only the last N runs of each source wait for the complete
 * ladder; the others delete the video once it plays (a chunked video's
 * queued ranges are then dropped) and pause before the next run, so the
 * 5-minute sources take minutes, not most of an hour.
 * Targets on a 2-core machine: standard ≤ 2 s, non-standard ≤ 60 s. Not part of the tests.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { mkdtemp, rm, chmod } from "node:fs/promises";
import { startPipelineStack } from "@kino/e2e";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { ensureDaemon, findFreePort, natsServer, postgresServer, redisServer, stopDaemon } from "@kino/stack";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "ladder-runs": { type: "string" },
    preset: { type: "string", default: "veryfast" },
    only: { type: "string", default: "std60,std300,ns300" },
    "source-dir": { type: "string", default: join(tmpdir(), "kino-bench-ttp-sources") },
  },
});
const runs = Number(values.runs);
const ladderRuns = Math.min(runs, Number(values["ladder-runs"] ?? runs));
// After a playable-only run: the deleted video's plan job finishes its poster, storyboard and preview meanwhile.
const SETTLE_MS = 90_000;
const logger = silentLogger();
const run = promisify(execFile);

interface Source {
  name: string;
  seconds: number;
  standard: boolean;
}
const SOURCES: Source[] = [
  { name: "std60", seconds: 60, standard: true },
  { name: "std300", seconds: 300, standard: true },
  { name: "ns300", seconds: 300, standard: false },
];

/** 1080p30 with AAC, ~6 Mbit/s; kept between runs of the bench (generating 5 minutes takes a while). */
async function sourceFile(source: Source): Promise<string> {
  const path = join(values["source-dir"]!, `${source.name}.mp4`);
  if (await stat(path).catch(() => undefined)) return path;
  await run("mkdir", ["-p", values["source-dir"]!]);
  const video = source.standard ? ["-pix_fmt", "yuv420p", "-profile:v", "high"] : ["-pix_fmt", "yuv420p10le", "-profile:v", "high10"];
  await run("ffmpeg", [
    ...["-hide_banner", "-v", "error", "-y"],
    ...["-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=30:duration=${source.seconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${source.seconds}`],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-maxrate", "8M", "-bufsize", "12M", "-g", "60", ...video, "-c:a", "aac", `${path}.part.mp4`],
  ]);
  await run("mv", [`${path}.part.mp4`, path]);
  return path;
}

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const dir = await mkdtemp(join(tmpdir(), "kino-bench-ttp-"));
await chmod(dir, 0o755);
const postgres = postgresServer({ port: await findFreePort(), durable: false });
const nats = natsServer({ port: await findFreePort() });
const redis = redisServer({ port: await findFreePort() });
try {
  await ensureDaemon(postgres, { dataDir: dir, logger });
  await ensureDaemon(nats, { dataDir: dir, logger });
  await ensureDaemon(redis, { dataDir: dir, logger });
  process.env.KINO_TEST_POSTGRES_URL = postgres.url;
  process.env.KINO_TEST_NATS_URL = nats.url;
  process.env.KINO_TEST_REDIS_URL = redis.url;
  const stack = await startPipelineStack("local", { preset: values.preset });
  try {
    console.log(`${availableParallelism()} cores; preset ${values.preset}; ${runs} runs per source; local storage`);
    for (const source of SOURCES.filter((s) => values.only!.split(",").includes(s.name))) {
      const file = await sourceFile(source);
      const body = await readFile(file);
      const playable: number[] = [];
      const ready: number[] = [];
      for (let i = 1; i <= runs; i++) {
        const wholeLadder = i > runs - ladderRuns;
        const created = await stack.uploads.createUpload({ title: `ttp ${source.name} ${i}` });
        const id = created.video!.id;
        const creation = await fetch(created.uploadUrl, { method: "POST", headers: { "tus-resumable": "1.0.0", "upload-length": String(body.length) } });
        const location = new URL(creation.headers.get("location")!, created.uploadUrl).href;
        const patch = await fetch(location, { method: "PATCH", headers: { "tus-resumable": "1.0.0", "upload-offset": "0", "content-type": "application/offset+octet-stream" }, body });
        if (patch.status !== 204) throw new Error(`PATCH answered ${patch.status}: ${await patch.text()}`);
        const lastByte = performance.now();
        let playableAt: number | undefined;
        let readyAt: number | undefined;
        for await (const { video } of stack.videos.watchVideo({ id }, { signal: AbortSignal.timeout(1_800_000) })) {
          if (!video) continue;
          if (video.status === VideoStatus.FAILED) throw new Error(`${source.name} failed: ${video.failureReason}`);
          if (playableAt === undefined && video.playable && video.playbackPath) {
            const master = await fetch(`${stack.baseUrl}${video.playbackPath}`);
            if (master.ok && (await master.text()).includes("#EXT-X-STREAM-INF")) playableAt = performance.now();
            if (playableAt !== undefined && !wholeLadder) break;
          }
          if (video.status === VideoStatus.READY) {
            readyAt = performance.now();
            break;
          }
        }
        playable.push((playableAt! - lastByte) / 1000);
        if (!wholeLadder) {
          await stack.videos.deleteVideo({ id });
          console.log(`  ${source.name} run ${i}: playable ${playable.at(-1)!.toFixed(2)} s (deleted then; settling ${SETTLE_MS / 1000} s)`);
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          continue;
        }
        ready.push((readyAt! - lastByte) / 1000);
        console.log(`  ${source.name} run ${i}: playable ${playable.at(-1)!.toFixed(2)} s, complete ladder ${ready.at(-1)!.toFixed(1)} s`);
      }
      const target = source.standard ? 2 : 60;
      console.log(
        `${source.name} (${source.seconds} s 1080p30 ${source.standard ? "H.264 High 8-bit" : "H.264 High 10 (non-standard)"}, ${(body.length / 2 ** 20).toFixed(0)} MiB): ` +
          `time to playable p50 ${p50(playable).toFixed(2)} s (target ≤ ${target} s); ${ready.length > 0 ? `complete ladder p50 ${p50(ready).toFixed(1)} s of ${ready.length} run(s)` : "complete ladder not waited for"}`,
      );
    }
  } finally {
    await stack.close();
  }
} finally {
  await stopDaemon(redis, { dataDir: dir, logger });
  await stopDaemon(nats, { dataDir: dir, logger });
  await stopDaemon(postgres, { dataDir: dir, logger });
  await rm(dir, { recursive: true, force: true });
}
