import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { createLocalStorage, rawKey } from "@kino/storage";
import { createTempDir, freePort, makeClip, type TempDir } from "@kino/testkit";
import { spawnGateway, startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";

// The gateway as main runs it with KINO_GATEWAY_WORKERS=2: a primary and two workers sharing one port.
let media: TempDir;
let clip: Buffer;
let stack: PipelineStack;

before(async () => {
  media = await createTempDir("kino-e2e-workers-");
  clip = await readFile(await makeClip(join(media.path, "clip.mp4"), { width: 320, height: 180, seconds: 2, gop: 30 }));
  stack = await startPipelineStack("local", { gatewayWorkers: 2 });
});
after(async () => {
  await stack?.close();
  await media?.remove();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a connection of its own, so the primary hands consecutive requests to alternating workers. */
function onNewConnection(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const tus = { "tus-resumable": "1.0.0" };
const patch = (location: string, offset: number, bytes: Buffer) =>
  onNewConnection("PATCH", location, { ...tus, "upload-offset": String(offset), "content-type": "application/offset+octet-stream" }, bytes);

async function workerPids(): Promise<number[]> {
  const pid = stack.gatewayProcess!.pid!;
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8");
  return children.trim().split(/\s+/).filter(Boolean).map(Number);
}

async function opsRequestsCounted(): Promise<number> {
  const metrics = await onNewConnection("GET", `${stack.baseUrl}/metrics`);
  assert.equal(metrics.status, 200, metrics.body);
  const values = [...metrics.body.matchAll(/^kino_gateway_requests_total\{[^}]*route="ops"[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
  return values.reduce((a, b) => a + b, 0);
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

test("an upload whose requests land on both workers, two of them raced at one offset, arrives whole and plays", async () => {
  assert.equal((await workerPids()).length, 2, "two workers under the primary");
  const created = await stack.uploads.createUpload({ title: "across workers" });
  const videoId = created.video!.id;
  const creation = await onNewConnection("POST", created.uploadUrl, { ...tus, "upload-length": String(clip.length) });
  assert.equal(creation.status, 201, creation.body);
  const location = new URL(String(creation.headers.location), created.uploadUrl).href;

  const third = Math.floor(clip.length / 3);
  assert.equal((await patch(location, 0, clip.subarray(0, third))).status, 204);
  // A client retrying a PATCH it thinks was lost, while the first is still arriving, on another connection (so another worker).
  const second = clip.subarray(third, 2 * third);
  const raced = await Promise.all([patch(location, third, second), patch(location, third, second)]);
  console.log(`raced PATCHes answered ${raced.map((a) => a.status).join(" and ")}`);
  for (const answer of raced) assert.ok([204, 409, 423, 500].includes(answer.status), `a raced PATCH answered ${answer.status}: ${answer.body}`);
  const head = await onNewConnection("HEAD", location, tus);
  assert.equal(head.status, 200);
  const offset = Number(head.headers["upload-offset"]);
  assert.ok(offset >= third && offset <= 2 * third, `offset ${offset} is within the raced chunk`);
  const last = await patch(location, offset, clip.subarray(offset));
  assert.equal(last.status, 204, last.body);

  const signal = AbortSignal.timeout(120_000);
  let status = VideoStatus.UNSPECIFIED;
  for await (const { video } of stack.videos.watchVideo({ id: videoId }, { signal })) {
    status = video?.status ?? status;
    if (status === VideoStatus.READY || status === VideoStatus.FAILED) break;
  }
  assert.equal(status, VideoStatus.READY);
  const storage = createLocalStorage({ root: stack.storageEnv.KINO_STORAGE_DIR! });
  const stored = await storage.get(rawKey(videoId, "source"));
  const chunks: Buffer[] = [];
  for await (const chunk of stored.body) chunks.push(chunk as Buffer);
  await storage.close();
  assert.equal(sha256(Buffer.concat(chunks)), sha256(clip), "the stored source is the file, byte for byte");
  const { video } = await stack.videos.getVideo({ id: videoId });
  for (let i = 0; i < 4; i++) assert.equal((await onNewConnection("GET", `${stack.baseUrl}${video!.playbackPath}`)).status, 200);
});

test("/metrics answers for both workers: every request counted, whichever worker took it", async () => {
  const before = await opsRequestsCounted();
  // 503 here: the stack runs no analytics service, whose health /healthz reports. Counted all the same.
  for (let i = 0; i < 6; i++) assert.ok([200, 503].includes((await onNewConnection("GET", `${stack.baseUrl}/healthz`)).status));
  // The six, and the /metrics request before them.
  assert.equal((await opsRequestsCounted()) - before, 7);
});

test("a worker killed with SIGKILL is replaced, and the port answers all along", async () => {
  const [victim] = await workerPids();
  process.kill(victim!, "SIGKILL");
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let i = 0; i < 10; i++) assert.ok([200, 503].includes((await onNewConnection("GET", `${stack.baseUrl}/healthz`)).status), "an answer, not a dropped connection");
  const deadline = Date.now() + 15_000;
  let pids = await workerPids();
  while ((pids.length < 2 || pids.includes(victim!)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    pids = await workerPids();
  }
  assert.equal(pids.length, 2, "a new worker took the killed one's place");
  assert.ok(!pids.includes(victim!));
});

test("SIGTERM stops the workers and then the primary, which exits 0", async () => {
  const pids = await workerPids();
  const child = stack.gatewayProcess!;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `worker ${pid} is gone`);
});

test("a worker that cannot start makes the primary exit 1 rather than replace it forever", async () => {
  // The staging directory is a file: every worker fails as it starts.
  await assert.rejects(
    spawnGateway({ ...stack.gatewayEnv!, KINO_UPLOAD_STAGING_DIR: join(media.path, "clip.mp4"), KINO_GATEWAY_LISTEN: `127.0.0.1:${await freePort()}` }),
    /exited with 1 before it answered/,
  );
});
