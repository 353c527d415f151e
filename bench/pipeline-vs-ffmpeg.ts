/**
 * Kino end to end (transcode job published → READY) against the same ladder
 * as one raw ffmpeg command, on the same 1080p30 source, in the same run.
 * Starts its own PostgreSQL, Redis and NATS (Debian's) on free ports; run from the
 * repo root:
 *   node --import tsx bench/pipeline-vs-ffmpeg.ts [--seconds 20] [--preset veryfast] [--rounds 1]
 * Prints both times and the ratio Kino / raw ffmpeg (target ≤ 1.05). Not part of the tests.
 */
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { startPipelineStack } from "@kino/e2e";
import { createGrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { buildLadderCommand, planLadder, probeSource, runFfmpeg } from "@kino/media";
import { parseConfig, silentLogger } from "@kino/platform";
import { VideoLifecycleService, VideoStatus } from "@kino/proto/catalog/v1";
import { ensureDaemon, findFreePort, natsServer, postgresServer, redisServer, stopDaemon } from "@kino/stack";
import { createStorage, rawKey, storageConfigSchema, storageFromConfig } from "@kino/storage";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    preset: { type: "string", default: "veryfast" },
    rounds: { type: "string", default: "1" },
  },
});
const seconds = Number(values.seconds);
const preset = values.preset!;
const rounds = Number(values.rounds);
const logger = silentLogger();

const dir = await mkdtemp(join(tmpdir(), "kino-bench-pipeline-"));
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

  const source = join(dir, "source.mp4");
  await promisify(execFile)("ffmpeg", [
    ...["-hide_banner", "-v", "error", "-y"],
    ...["-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=30:duration=${seconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", source],
  ]);
  const probe = await probeSource(source);
  const plan = planLadder(probe);
  console.log(
    `source 1920x1080 30 fps ${seconds} s (${((await stat(source)).size / 2 ** 20).toFixed(1)} MiB); ` +
      `rungs ${plan.rungs.map((r) => r.name).join(" ")}; preset ${preset}; ${availableParallelism()} cores`,
  );

  const stack = await startPipelineStack("local", { preset });
  const storage = createStorage(storageFromConfig(parseConfig(storageConfigSchema, stack.storageEnv)), logger);
  // MarkUploaded is the upload host's step: signed as the gateway, as the catalog requires.
  const lifecycle = createGrpcClient(VideoLifecycleService, stack.catalogUrl, { identity: testServiceCredentials().minter("gateway") });
  try {
    for (let round = 1; round <= rounds; round++) {
      const rawStarted = performance.now();
      await runFfmpeg({ args: buildLadderCommand({ input: source, plan, outDir: join(dir, `raw-${round}`), preset }) });
      const raw = (performance.now() - rawStarted) / 1000;

      const { video } = await stack.videos.createVideo({ title: `bench ${round}` });
      const sourceKey = rawKey(video!.id, "source");
      await storage.put(sourceKey, createReadStream(source), { contentType: "video/mp4" });
      const kinoStarted = performance.now();
      await lifecycle.markUploaded({
        videoId: video!.id,
        sourceKey,
        source: { durationSeconds: probe.durationSeconds, width: 1920, height: 1080, frameRate: 30, hasAudio: true },
      });
      let status = VideoStatus.UPLOADED;
      for await (const { video: v } of stack.videos.watchVideo({ id: video!.id })) {
        status = v!.status;
        if (status === VideoStatus.READY || status === VideoStatus.FAILED) break;
      }
      const kino = (performance.now() - kinoStarted) / 1000;
      if (status !== VideoStatus.READY) throw new Error(`the video ended ${VideoStatus[status]}`);
      console.log(
        `round ${round}: raw ffmpeg ladder ${raw.toFixed(2)} s; Kino job published → READY ${kino.toFixed(2)} s; ` +
          `ratio Kino/raw ${(kino / raw).toFixed(3)} (target ≤ 1.05)`,
      );
    }
  } finally {
    lifecycle.close();
    await storage.close();
    await stack.close();
  }
} finally {
  await stopDaemon(redis, { dataDir: dir, logger });
  await stopDaemon(nats, { dataDir: dir, logger });
  await stopDaemon(postgres, { dataDir: dir, logger });
  await rm(dir, { recursive: true, force: true });
}
