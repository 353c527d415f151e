import assert from "node:assert/strict";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "@kino/platform";
import { createLocalStorage, rawKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { UnplayableSourceError } from "@kino/media";
import { createTranscodePool, detectCapacity, type JobProgress, type TranscodePool } from "../src/index.ts";
import { makeClip } from "@kino/testkit";

describe("detectCapacity", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-capacity-");
  });
  after(() => dir.remove());

  /** Stand-ins for GPU tooling this host lacks: a shell script with a fixed exit and output. */
  async function fakeTool(name: string, script: string): Promise<string> {
    const path = join(dir.path, name);
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
    return path;
  }

  it("sizes CPU slots from the cores and agrees with itself about the GPU on this host", async () => {
    const capacity = await detectCapacity({ logger: silentLogger(), cores: 8 });
    assert.equal(capacity.cpuSlots, 4);
    assert.equal(capacity.gpuSlots > 0, capacity.nvenc);
    assert.equal((await detectCapacity({ logger: silentLogger(), cores: 1 })).cpuSlots, 1);
  });

  it("gives no GPU slots when a test encode with h264_nvenc fails", async () => {
    const ffmpegPath = await fakeTool("ffmpeg-without-nvenc", 'echo "Cannot load libnvidia-encode.so.1" >&2; exit 1');
    const nvidiaSmiPath = await fakeTool("nvidia-smi-two", 'echo "GPU 0: A"; echo "GPU 1: B"');
    assert.deepEqual(await detectCapacity({ logger: silentLogger(), cores: 4, ffmpegPath, nvidiaSmiPath }), { cpuSlots: 2, gpuSlots: 0, nvenc: false });
  });

  it("gives one slot per GPU nvidia-smi lists once the test encode works, one if it lists none", async () => {
    const ffmpegPath = await fakeTool("ffmpeg-with-nvenc", "exit 0");
    const twoGpus = await fakeTool("nvidia-smi-2", 'echo "GPU 0: A (UUID: x)"; echo "GPU 1: B (UUID: y)"');
    assert.deepEqual(await detectCapacity({ logger: silentLogger(), cores: 4, ffmpegPath, nvidiaSmiPath: twoGpus }), { cpuSlots: 2, gpuSlots: 2, nvenc: true });
    const broken = await fakeTool("nvidia-smi-broken", "exit 9");
    assert.equal((await detectCapacity({ logger: silentLogger(), cores: 4, ffmpegPath, nvidiaSmiPath: broken })).gpuSlots, 1);
  });
});

describe("createTranscodePool", () => {
  let dir: TempDir;
  let storage: Storage;
  let pool: TranscodePool;
  let scratch: string;
  const storageConfig = () => ({ driver: "local" as const, root: join(dir.path, "store") });

  before(async () => {
    dir = await createTempDir("kino-pool-");
    scratch = join(dir.path, "scratch");
    await mkdir(scratch);
    storage = createLocalStorage({ root: storageConfig().root });
    const clip = await makeClip(join(dir.path, "clip.mp4"), { width: 320, height: 180, seconds: 2 });
    await storage.put(rawKey("vid_pool", "source"), await readFile(clip));
    await storage.put(rawKey("vid_text", "source"), Buffer.from("not a video at all\n"));
    pool = createTranscodePool({ capacity: { cpuSlots: 2, gpuSlots: 0, nvenc: false }, logger: silentLogger(), tempRoot: scratch });
  });
  after(async () => {
    await pool.close();
    await storage.close();
    await dir.remove();
  });

  it("runs a job in a worker thread: source fetched, package published, scratch removed", async () => {
    const progress: JobProgress[] = [];
    const result = await pool.run(
      { videoId: "vid_pool", sourceKey: rawKey("vid_pool", "source"), outputId: "attempt1", storage: storageConfig(), preset: "ultrafast" },
      { onProgress: (p) => progress.push(p) },
    );
    assert.equal(result.masterKey, "media/vid_pool/attempt1/master.m3u8");
    assert.equal(result.posterKey, "media/vid_pool/attempt1/poster.jpg");
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.renditions.map((r) => [r.name, r.width, r.height]), [["180p", 320, 180]]);
    const master = await storage.get(result.masterKey);
    assert.equal(master.info.contentType, "application/vnd.apple.mpegurl");
    for (const key of result.keys) assert.ok(await storage.head(key), `${key} is in storage`);
    assert.deepEqual([...new Set(progress.map((p) => p.stage))], ["download", "encode", "upload"]);
    assert.ok(progress.some((p) => p.stage === "encode" && p.percent === 100));
    assert.equal(progress.at(-1)?.percent, 100);
    assert.deepEqual(await readdir(scratch), []);
  });

  it("rejects an unplayable source with the same error class and reason as an in-process run", async () => {
    await assert.rejects(pool.run({ videoId: "vid_text", sourceKey: rawKey("vid_text", "source"), outputId: "attempt1", storage: storageConfig() }), (error: unknown) => {
      assert.ok(error instanceof UnplayableSourceError);
      assert.equal(error.reason, "not a video file");
      return true;
    });
    assert.deepEqual(await readdir(scratch), []);
  });

  it("stops an aborted job, publishes nothing and leaves no scratch files", async () => {
    const controller = new AbortController();
    const run = pool.run(
      { videoId: "vid_pool", sourceKey: rawKey("vid_pool", "source"), outputId: "attempt2", storage: storageConfig() },
      { signal: controller.signal, onProgress: () => controller.abort(new Error("video deleted")) },
    );
    await assert.rejects(run, /video deleted/);
    const published: string[] = [];
    for await (const info of storage.list("media/vid_pool/attempt2/")) published.push(info.key);
    assert.deepEqual(published, []);
    assert.deepEqual(await readdir(scratch), []);
  });
});
