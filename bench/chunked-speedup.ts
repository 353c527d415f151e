/**
 * Chunked encoding across hosts: the wall time of a 2-minute 1080p30
 * source's whole ladder (from the job queued to READY) on 1 transcoder host
 * encoding it as one job, against 4 hosts splitting it into ranges, every
 * host's processes (the transcoder, its pool, its ffmpeg) capped at 0.4 of a
 * core with a cgroup v1 CPU quota, so NATS, S3 and the catalog keep the rest
 * of the machine. Also the SSIM (ffmpeg's ssim filter, every frame) of each
 * run's top rung against the source. Starts its own PostgreSQL, Redis and
 * NATS (Debian's) and an S3 API server; needs root for the cgroups. Run from
 * the repo root:
 *   node --import tsx bench/chunked-speedup.ts [--seconds 120] [--hosts 4] [--quota 0.4] [--range-seconds 12] [--preset veryfast]
 * Targets: speed-up ≥ 3.2; chunked SSIM within 0.005 of the single job's. Not part of the tests.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, rmdir, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { catalogClientFor, lifecycleClientFor, startTestCatalog } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseMediaPlaylist } from "@kino/media";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { ensureDaemon, findFreePort, natsServer, postgresServer, redisServer, stopDaemon } from "@kino/stack";
import { createStorage, mediaKey, rawKey, type Storage } from "@kino/storage";
import { startS3rver } from "@kino/testkit";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "120" },
    hosts: { type: "string", default: "4" },
    quota: { type: "string", default: "0.4" },
    "range-seconds": { type: "string", default: "12" },
    preset: { type: "string", default: "veryfast" },
    "source-dir": { type: "string", default: join(tmpdir(), "kino-bench-chunked-sources") },
  },
});
const seconds = Number(values.seconds);
const hostCount = Number(values.hosts);
const quota = Number(values.quota);
const logger = silentLogger();
const run = promisify(execFile);
const BUCKET = "kino-bench";
const CGROUP_ROOT = "/sys/fs/cgroup/cpu";
const transcoderMain = fileURLToPath(new URL("../transcoder/src/main.ts", import.meta.url));

/** 1080p30 H.264 High + AAC at ~6 Mbit/s, a keyframe every 2 s; kept between runs. */
async function sourceFile(): Promise<string> {
  const path = join(values["source-dir"]!, `src-${seconds}.mp4`);
  if (await stat(path).catch(() => undefined)) return path;
  await mkdir(values["source-dir"]!, { recursive: true });
  await run("ffmpeg", [
    ...["-hide_banner", "-v", "error", "-y"],
    ...["-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=30:duration=${seconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-maxrate", "8M", "-bufsize", "12M", "-g", "60", "-pix_fmt", "yuv420p", "-profile:v", "high", "-c:a", "aac", `${path}.part.mp4`],
  ]);
  await run("mv", [`${path}.part.mp4`, path]);
  return path;
}

interface Host {
  child: ChildProcess;
  cgroup: string;
  exited: Promise<void>;
}

/** A transcoder whose every process (it, its threads, the ffmpeg it starts) runs in a CPU-capped cgroup of its own. */
async function startHost(name: string, env: Record<string, string>): Promise<Host> {
  const cgroup = join(CGROUP_ROOT, name);
  await mkdir(cgroup, { recursive: true });
  await writeFile(join(cgroup, "cpu.cfs_period_us"), "100000");
  await writeFile(join(cgroup, "cpu.cfs_quota_us"), String(Math.round(quota * 100000)));
  // The shell joins the group before it becomes node, so nothing of the host runs uncapped.
  const child = spawn("sh", ["-c", `echo $$ > ${join(cgroup, "cgroup.procs")} && exec "$0" --import tsx "$1"`, process.execPath, transcoderMain], {
    env: { ...process.env, ...env, KINO_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output = (output + data.toString()).slice(-20000);
      if (output.includes('"msg":"transcoder running"')) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`transcoder ${name} exited before running:\n${output}`)));
  });
  return { child, cgroup, exited };
}

async function stopHost(host: Host): Promise<void> {
  host.child.kill("SIGKILL");
  await host.exited;
  // A group empties a moment after its last process is reaped.
  for (let i = 0; i < 50; i++) {
    if (await rmdir(host.cgroup).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function readBytes(storage: Storage, key: string): Promise<Buffer> {
  const { body } = await storage.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The published top rung, init then segments, as one local MP4. */
async function fetchRung(storage: Storage, videoId: string, outputId: string, rung: string, file: string): Promise<void> {
  const playlist = parseMediaPlaylist((await readBytes(storage, mediaKey(videoId, outputId, rung, "index.m3u8"))).toString("utf8"));
  const parts = [await readBytes(storage, mediaKey(videoId, outputId, rung, playlist.mapUri!))];
  for (const segment of playlist.segments) parts.push(await readBytes(storage, mediaKey(videoId, outputId, rung, segment.uri)));
  await writeFile(file, Buffer.concat(parts));
}

/** Mean SSIM over every frame (ffmpeg's "All:" figure). */
async function ssim(encoded: string, source: string): Promise<number> {
  const { stderr } = await run("ffmpeg", ["-hide_banner", "-nostats", "-i", encoded, "-i", source, "-lavfi", "[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim", "-f", "null", "-"], { maxBuffer: 64 * 1024 * 1024 });
  const all = /All:([0-9.]+)/.exec(stderr);
  if (!all) throw new Error(`no SSIM in ffmpeg's output: ${stderr.slice(-500)}`);
  return Number(all[1]);
}

const dir = await mkdtemp(join(tmpdir(), "kino-bench-chunked-"));
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
  const source = await sourceFile();
  const s3 = await startS3rver(join(dir, "s3"), BUCKET);
  const storage = createStorage({ driver: "s3", bucket: BUCKET, endpoint: s3.endpoint, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true }, logger);
  const credentials = testServiceCredentials();
  try {
    /** One configuration, on a fresh catalog and NATS prefix: the ladder's wall time and its top rung's SSIM. */
    async function measure(label: string, hosts: number, rangeSeconds: number): Promise<{ wall: number; ssim: number }> {
      const catalog = await startTestCatalog({ natsPrefix: `bench${randomBytes(4).toString("hex")}` });
      const running: Host[] = [];
      try {
        const env = {
          KINO_NATS_URL: nats.url,
          KINO_NATS_PREFIX: catalog.natsPrefix,
          KINO_CATALOG_URL: catalog.address,
          KINO_SERVICE_IDENTITY_FILE: credentials.files().identityFile("transcoder"),
          KINO_TRANSCODER_OPS_LISTEN: "127.0.0.1:0",
          KINO_STORAGE_DRIVER: "s3",
          KINO_S3_BUCKET: BUCKET,
          KINO_S3_ENDPOINT: s3.endpoint,
          KINO_S3_ACCESS_KEY_ID: "S3RVER",
          KINO_S3_SECRET_ACCESS_KEY: "S3RVER",
          KINO_TRANSCODE_PRESET: values.preset!,
          KINO_TRANSCODE_RANGE_SECONDS: String(rangeSeconds),
          KINO_TRANSCODE_SPLIT_MIN_SECONDS: "0",
        };
        for (let i = 0; i < hosts; i++) {
          const temp = join(dir, `${label}-h${i}`);
          await mkdir(temp, { recursive: true });
          running.push(await startHost(`kino-bench-${process.pid}-${label}-h${i}`, { ...env, KINO_TEMP_DIR: temp }));
        }
        const videos = catalogClientFor(credentials, catalog.address, "bench-owner");
        const lifecycle = lifecycleClientFor(credentials, catalog.address);
        const id = (await videos.createVideo({ title: label })).video!.id;
        const sourceKey = rawKey(id, "source");
        await storage.put(sourceKey, await readFile(source));
        const started = performance.now();
        await lifecycle.markUploaded({ videoId: id, sourceKey, source: { durationSeconds: seconds, width: 1920, height: 1080, frameRate: 30, hasAudio: true, sizeBytes: 1n, videoCodec: "h264" } });
        let video;
        for (;;) {
          video = (await videos.getVideo({ id })).video!;
          if (video.status === VideoStatus.READY || video.status === VideoStatus.FAILED) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const wall = (performance.now() - started) / 1000;
        if (video.status !== VideoStatus.READY) throw new Error(`${label}: ${video.failureReason}`);
        const { outputId } = await lifecycle.getPlayback({ videoId: id });
        const top = video.renditions[0]!.name;
        const file = join(dir, `${label}-${top}.mp4`);
        await fetchRung(storage, id, outputId, top, file);
        const score = await ssim(file, source);
        console.log(`  ${label}: ${hosts} host(s) at ${quota} core, ${rangeSeconds > 0 ? `ranges of ${rangeSeconds} s` : "one job"}: ladder ${wall.toFixed(1)} s; ${top} SSIM ${score.toFixed(5)}`);
        videos.close();
        lifecycle.close();
        return { wall, ssim: score };
      } finally {
        for (const host of running) await stopHost(host);
        await catalog.close();
      }
    }
    console.log(`${seconds} s 1080p30 source; preset ${values.preset}; S3 storage; every host capped at ${quota} core`);
    const single = await measure("single", 1, 0);
    const chunked = await measure("chunked", hostCount, Number(values["range-seconds"]));
    console.log(`speed-up ${hostCount} hosts vs 1: ${(single.wall / chunked.wall).toFixed(2)}x (target ≥ 3.2)`);
    console.log(`SSIM top rung: single job ${single.ssim.toFixed(5)}, chunked ${chunked.ssim.toFixed(5)}, difference ${(single.ssim - chunked.ssim).toFixed(5)} (target ≤ 0.005)`);
  } finally {
    await storage.close();
    await s3.stop();
  }
} finally {
  await stopDaemon(redis, { dataDir: dir, logger });
  await stopDaemon(nats, { dataDir: dir, logger });
  await stopDaemon(postgres, { dataDir: dir, logger });
  await rm(dir, { recursive: true, force: true });
}
