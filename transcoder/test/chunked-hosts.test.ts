import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { createStorage, rawKey, type Storage } from "@kino/storage";
import { requireTestEnv, startS3rver, type S3rverProcess } from "@kino/testkit";
import { keysUnder, readText } from "./support/chunk-checks.ts";
import { eventually } from "./support/eventually.ts";
import { createHosts, forwardPort, type Forward, type NetnsHost } from "./support/netns.ts";
import { streamMessages, videoEvents } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";
import { TranscoderProcess } from "./support/transcoder-process.ts";

/**
 * Three transcoder hosts, each in a network namespace of its own, that
 * share nothing but one NATS, one catalog and one S3 API server (reached
 * over their veth links): no disk in common, so ranges move through S3.
 */
const BUCKET = "kino-hosts";
let stack: TestStack;
let s3: S3rverProcess;
let storage: Storage;
let hosts: NetnsHost[] = [];
const forwards: Forward[] = [];
const transcoders = new Map<string, TranscoderProcess>();

function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url.includes("://") ? url : `tcp://${url}`);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

before(async () => {
  stack = await startTestStack();
  s3 = await startS3rver(join(stack.dir.path, "s3"), BUCKET);
  const s3Config = { KINO_STORAGE_DRIVER: "s3", KINO_S3_BUCKET: BUCKET, KINO_S3_ACCESS_KEY_ID: "S3RVER", KINO_S3_SECRET_ACCESS_KEY: "S3RVER", KINO_S3_FORCE_PATH_STYLE: "true" } as const;
  storage = createStorage({ driver: "s3", bucket: BUCKET, endpoint: s3.endpoint, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true }, silentLogger());
  hosts = await createHosts(3);
  const nats = hostPort(requireTestEnv("KINO_TEST_NATS_URL"));
  const catalog = hostPort(stack.transcoderEnv().KINO_CATALOG_URL!);
  const s3Target = hostPort(s3.endpoint);
  for (const host of hosts) {
    const [n, c, s] = await Promise.all([forwardPort(host.gatewayIp, nats), forwardPort(host.gatewayIp, catalog), forwardPort(host.gatewayIp, s3Target)]);
    forwards.push(n, c, s);
    const tempDir = join(stack.dir.path, host.name);
    await mkdir(tempDir);
    const env = stack.transcoderEnv({
      ...s3Config,
      KINO_S3_ENDPOINT: `http://${host.gatewayIp}:${s.port}`,
      KINO_NATS_URL: `nats://${host.gatewayIp}:${n.port}`,
      KINO_CATALOG_URL: `${host.gatewayIp}:${c.port}`,
      KINO_STORAGE_DIR: "",
      KINO_TEMP_DIR: tempDir,
      KINO_TRANSCODE_RANGE_SECONDS: "4",
      KINO_TRANSCODE_SPLIT_MIN_SECONDS: "8",
      KINO_HLS_SEGMENT_SECONDS: "2",
      // A killed host's range goes to another after 8 s.
      KINO_TRANSCODE_ACK_WAIT_MS: "8000",
      KINO_TRANSCODE_PRESET: "veryfast",
    });
    transcoders.set(host.name, await TranscoderProcess.start(env, host.prefix));
  }
});

after(async () => {
  await Promise.all([...transcoders.values()].map((t) => t.kill("SIGKILL")));
  for (const f of forwards) await f.close();
  for (const host of hosts) await host.remove();
  await storage?.close();
  await s3?.stop();
  await stack?.close();
});


async function upload(seconds: number): Promise<string> {
  const clip = await stack.clip(`hosts-${seconds}-${Date.now()}.mp4`, { width: 640, height: 360, seconds, gop: 60 });
  const id = await stack.createVideo();
  const sourceKey = rawKey(id, "source");
  await storage.put(sourceKey, await readFile(clip));
  await stack.lifecycle.markUploaded({ videoId: id, sourceKey, source: { durationSeconds: seconds, width: 640, height: 360, frameRate: 30, hasAudio: true, sizeBytes: 1n, videoCodec: "h264" } });
  return id;
}

interface LogLine {
  msg: string;
  videoId?: string;
  step?: number | string;
  attempt?: string;
}

function logLines(host: string): LogLine[] {
  return transcoders
    .get(host)!
    .output()
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

/** Checks a READY chunked video: one READY, each range's segments from one attempt, nothing stored that no playlist names. */
async function checkJoined(id: string, ranges: number): Promise<string[]> {
  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 240_000, "a finished video");
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 30_000, "every job acknowledged");
  await stack.catalog.outbox.drained(5000);
  assert.equal((await videoEvents(stack.nats, stack.topology.streams.events, id)).filter((e) => e.kind.case === "ready").length, 1, "READY once");
  const attempts: string[] = [];
  for (const rung of video.renditions) {
    const playlist = await readText(storage, `media/${id}/${outputId}/${rung.name}/index.m3u8`);
    const segments = [...playlist.matchAll(/^(seg_\d{5}_([a-z0-9]{8})\.m4s)$/gm)];
    const perRung = [...new Set(segments.map((m) => m[2]!))];
    assert.equal(perRung.length, ranges, `${rung.name}: one attempt per range\n${playlist}`);
    attempts.push(...perRung);
    const named = new Set(["index.m3u8", "init.mp4", ...segments.map((m) => m[1]!)]);
    const stored = (await keysUnder(storage, `media/${id}/${outputId}/${rung.name}/`)).map((k) => k.split("/").pop()!);
    assert.deepEqual(stored.filter((f) => !named.has(f)), [], `${rung.name}: only what its playlist names is stored`);
  }
  assert.deepEqual((await keysUnder(storage, `raw/${id}/`)).filter((k) => k.includes("slice")), [], "slices removed");
  return [...new Set(attempts)];
}

test("three hosts that share only NATS and S3 encode a chunked video's ranges between them; READY once, each range once", async () => {
  const id = await upload(24);
  await checkJoined(id, 6);
  const encodedBy = hosts.filter((h) => logLines(h.name).some((l) => l.msg === "range recorded" && l.videoId === id));
  assert.ok(encodedBy.length >= 2, `ranges were encoded on ${encodedBy.length} host(s)`);
});

test("a host SIGKILLed mid-range: its range is encoded again elsewhere, the video is READY once, and nothing of the killed attempt is left", async () => {
  const id = await upload(24);
  const started = await eventually(
    async () => hosts.flatMap((h) => logLines(h.name).filter((l) => l.msg === "encoding range" && l.videoId === id).map((l) => ({ host: h.name, attempt: l.attempt!, step: l.step }))),
    (found) => found.length > 0,
    120_000,
    "a range being encoded",
  );
  const victim = started[0]!;
  const exit = await transcoders.get(victim.host)!.kill("SIGKILL");
  assert.equal(exit.signal, "SIGKILL");
  const attempts = await checkJoined(id, 6);
  assert.ok(!attempts.includes(victim.attempt), "the killed attempt is not in the outputs");
  assert.deepEqual((await keysUnder(storage, `media/${id}/`)).filter((k) => k.includes(victim.attempt)), [], "no file of the killed attempt is stored");
  const redone = hosts.filter((h) => h.name !== victim.host).some((h) => logLines(h.name).some((l) => l.msg === "encoding range" && l.videoId === id && l.step === victim.step));
  assert.ok(redone, `range ${String(victim.step)} was encoded again on another host`);
});
