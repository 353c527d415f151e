import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createLocalStorage, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { deleteOutputs, uploadOutputs } from "../src/index.ts";

/** The real local store, with every put recorded in the order it completed. */
function recording(storage: Storage): { storage: Storage; completed: string[]; maxInFlight: () => number } {
  const completed: string[] = [];
  let inFlight = 0;
  let max = 0;
  const wrapped: Storage = Object.create(storage);
  wrapped.put = async (key: string, body: Readable | Uint8Array, options) => {
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      return await storage.put(key, body, options);
    } finally {
      inFlight--;
      completed.push(key);
    }
  };
  return { storage: wrapped, completed, maxInFlight: () => max };
}

describe("uploadOutputs", () => {
  let dir: TempDir;
  let storage: Storage;
  const segments = Array.from({ length: 12 }, (_, i) => `360p/seg_${String(i).padStart(5, "0")}.m4s`);
  const files = ["master.m3u8", "360p/index.m3u8", "360p/init.mp4", ...segments, "240p/index.m3u8", "240p/init.mp4", "poster.jpg"];

  before(async () => {
    dir = await createTempDir("kino-upload-");
    storage = createLocalStorage({ root: join(dir.path, "store") });
    for (const file of files) {
      const path = join(dir.path, "package", file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `contents of ${file}`);
    }
  });
  after(async () => {
    await storage.close();
    await dir.remove();
  });

  it("publishes every file under media/<videoId>/<outputId>/ with its content type", async () => {
    const result = await uploadOutputs({ storage, videoId: "vid_1", outputId: "out1", localDir: join(dir.path, "package"), files });
    assert.equal(result.prefix, "media/vid_1/out1/");
    assert.equal(result.masterKey, "media/vid_1/out1/master.m3u8");
    assert.deepEqual(result.keys, files.map((f) => `media/vid_1/out1/${f}`));
    const types = new Map<string, string | undefined>();
    for await (const info of storage.list(result.prefix)) types.set(info.key.slice(result.prefix.length), (await storage.head(info.key))?.contentType);
    assert.equal(types.size, files.length);
    assert.equal(types.get("master.m3u8"), "application/vnd.apple.mpegurl");
    assert.equal(types.get("360p/index.m3u8"), "application/vnd.apple.mpegurl");
    assert.equal(types.get("360p/init.mp4"), "video/mp4");
    assert.equal(types.get("360p/seg_00003.m4s"), "video/mp4");
    assert.equal(types.get("poster.jpg"), "image/jpeg");
  });

  it("uploads playlists only after the media they name, the master last, a few at a time", async () => {
    const recorder = recording(storage);
    const progress: number[] = [];
    await uploadOutputs({ storage: recorder.storage, videoId: "vid_1", outputId: "out2", localDir: join(dir.path, "package"), files, concurrency: 3, onFileUploaded: (n) => progress.push(n) });
    const order = recorder.completed.map((k) => k.slice("media/vid_1/out2/".length));
    assert.equal(order.at(-1), "master.m3u8");
    const firstPlaylist = order.findIndex((f) => f.endsWith(".m3u8"));
    assert.ok(order.slice(firstPlaylist).every((f) => f.endsWith(".m3u8")), `media before playlists: ${order.join(" ")}`);
    assert.ok(recorder.maxInFlight() <= 3 && recorder.maxInFlight() > 1, `in flight at most 3, saw ${recorder.maxInFlight()}`);
    assert.deepEqual(progress, files.map((_, i) => i + 1));
  });

  it("refuses an unsafe output id before uploading anything", async () => {
    const recorder = recording(storage);
    await assert.rejects(uploadOutputs({ storage: recorder.storage, videoId: "vid_1", outputId: "../vid_2", localDir: join(dir.path, "package"), files }), /invalid output id/);
    assert.deepEqual(recorder.completed, []);
  });

  it("deleteOutputs removes one attempt and leaves the others", async () => {
    await uploadOutputs({ storage, videoId: "vid_2", outputId: "keep", localDir: join(dir.path, "package"), files: ["poster.jpg"] });
    await uploadOutputs({ storage, videoId: "vid_2", outputId: "abandoned", localDir: join(dir.path, "package"), files: ["poster.jpg", "master.m3u8"] });
    assert.equal(await deleteOutputs(storage, "vid_2", "abandoned"), 2);
    const left: string[] = [];
    for await (const info of storage.list("media/vid_2/")) left.push(info.key);
    assert.deepEqual(left, ["media/vid_2/keep/poster.jpg"]);
  });
});
