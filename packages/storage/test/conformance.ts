import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { StorageError, type ObjectInfo, type Storage, type StorageErrorCode } from "../src/index.ts";
import { MiB, failingByteStream, randomByteStream, readAll, sha256Of } from "./byte-streams.ts";
import { measurePeakGrowth } from "./memory-probe.ts";

export interface StorageFixture {
  /** A working store, shared by the suite's tests (each uses keys of its own). */
  storage: Storage;
  /** A store of the same driver whose backend cannot be reached. */
  unreachable: Storage;
  close(): Promise<void>;
}

function uniqueId(): string {
  return `v${randomBytes(6).toString("hex")}`;
}

async function collect(items: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode, mentions?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StorageError, `expected a StorageError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (mentions !== undefined) assert.ok(error.message.includes(mentions), `${error.message} should mention ${mentions}`);
    return true;
  });
}

const BAD_KEYS = [
  "../x",
  "/etc/passwd",
  "raw/../../x",
  "raw/./x",
  "raw//x",
  "raw/x/",
  "media/a\\b",
  "raw/a b",
  "raw/vidéo",
  "raw/\u0000x",
  "secrets/x",
  "",
  `raw/${"a".repeat(1100)}`,
];

/** The behaviour every Storage driver must show; run once per driver. */
export function runStorageConformance(name: string, open: () => Promise<StorageFixture>): void {
  describe(`${name} storage conformance`, () => {
    let fixture: StorageFixture;
    let storage: Storage;

    before(async () => {
      fixture = await open();
      storage = fixture.storage;
    });
    after(async () => {
      await fixture.storage.close();
      await fixture.unreachable.close();
      await fixture.close();
    });

    it("stores bytes with their content type and returns them whole", async () => {
      const key = `media/${uniqueId()}/index.m3u8`;
      const body = Buffer.from("#EXTM3U\n#EXT-X-VERSION:7\n");
      const put = await storage.put(key, body, { contentType: "application/vnd.apple.mpegurl" });
      assert.equal(put.key, key);
      assert.equal(put.size, body.length);
      assert.match(put.etag, /^".+"$/);
      assert.equal(put.contentType, "application/vnd.apple.mpegurl");

      const got = await storage.get(key);
      assert.deepEqual(await readAll(got.body), body);
      assert.equal(got.range, undefined);
      assert.equal(got.info.size, body.length);
      assert.equal(got.info.etag, put.etag);
      assert.equal(got.info.contentType, "application/vnd.apple.mpegurl");

      const head = await storage.head(key);
      assert.equal(head?.size, body.length);
      assert.equal(head?.etag, put.etag);
      assert.equal(head?.contentType, "application/vnd.apple.mpegurl");
      assert.ok(head.lastModified instanceof Date && !Number.isNaN(head.lastModified.getTime()));
    });

    it("stores a Readable body, defaulting the content type", async () => {
      const key = `raw/${uniqueId()}/source`;
      const source = randomByteStream(300 * 1024);
      const put = await storage.put(key, source.stream);
      assert.equal(put.size, 300 * 1024);
      assert.equal(put.contentType, "application/octet-stream");
      assert.equal(await sha256Of((await storage.get(key)).body), source.sha256());
    });

    it("stores an empty object", async () => {
      const key = `media/${uniqueId()}/empty`;
      await storage.put(key, new Uint8Array(0));
      const got = await storage.get(key);
      assert.equal(got.info.size, 0);
      assert.equal((await readAll(got.body)).length, 0);
    });

    it("serves byte ranges: bounded, open-ended, a single byte, and an end clamped to the object", async () => {
      const key = `media/${uniqueId()}/segment.m4s`;
      const body = Buffer.from("0123456789abcdefghij");
      await storage.put(key, body);

      const bounded = await storage.get(key, { range: { start: 2, end: 5 } });
      assert.equal((await readAll(bounded.body)).toString(), "2345");
      assert.deepEqual(bounded.range, { start: 2, end: 5 });
      assert.equal(bounded.info.size, body.length, "info.size is the whole object's size");

      const openEnded = await storage.get(key, { range: { start: 15 } });
      assert.equal((await readAll(openEnded.body)).toString(), "fghij");
      assert.deepEqual(openEnded.range, { start: 15, end: 19 });

      const single = await storage.get(key, { range: { start: 7, end: 7 } });
      assert.equal((await readAll(single.body)).toString(), "7");
      assert.deepEqual(single.range, { start: 7, end: 7 });

      const clamped = await storage.get(key, { range: { start: 18, end: 500 } });
      assert.equal((await readAll(clamped.body)).toString(), "ij");
      assert.deepEqual(clamped.range, { start: 18, end: 19 });
    });

    it("rejects unsatisfiable and malformed ranges with invalid_range", async () => {
      const key = `media/${uniqueId()}/segment.m4s`;
      await storage.put(key, Buffer.from("0123456789"));
      await rejectsWith(storage.get(key, { range: { start: 10 } }), "invalid_range");
      await rejectsWith(storage.get(key, { range: { start: 50, end: 60 } }), "invalid_range");
      await rejectsWith(storage.get(key, { range: { start: 5, end: 2 } }), "invalid_range");
      await rejectsWith(storage.get(key, { range: { start: -1 } }), "invalid_range");
      await rejectsWith(storage.get(key, { range: { start: 1.5 } }), "invalid_range");
    });

    it("reports a missing key: get fails with not_found, head returns undefined", async () => {
      const key = `raw/${uniqueId()}/source`;
      await rejectsWith(storage.get(key), "not_found", key);
      assert.equal(await storage.head(key), undefined);
    });

    it("deletes idempotently", async () => {
      const key = `raw/${uniqueId()}/source`;
      await storage.put(key, Buffer.from("x"));
      await storage.delete(key);
      assert.equal(await storage.head(key), undefined);
      await storage.delete(key);
      await storage.delete(`raw/${uniqueId()}/never-existed`);
    });

    it("replaces an object on overwrite", async () => {
      const key = `media/${uniqueId()}/poster.jpg`;
      const first = await storage.put(key, Buffer.from("first version"), { contentType: "image/png" });
      const second = await storage.put(key, Buffer.from("second"), { contentType: "image/jpeg" });
      assert.notEqual(second.etag, first.etag);
      const got = await storage.get(key);
      assert.equal((await readAll(got.body)).toString(), "second");
      assert.equal(got.info.size, 6);
      assert.equal(got.info.etag, second.etag);
      assert.equal(got.info.contentType, "image/jpeg");
    });

    it("keeps the previous object and leaves nothing behind when a put's body fails", async () => {
      const id = uniqueId();
      const existing = `raw/${id}/source`;
      const before = await storage.put(existing, Buffer.from("original"));
      // Larger than one multipart part, so the S3 driver has parts to abort.
      await assert.rejects(storage.put(existing, failingByteStream(6 * MiB)), StorageError);
      const kept = await storage.get(existing);
      assert.equal((await readAll(kept.body)).toString(), "original");
      assert.equal(kept.info.etag, before.etag);

      const fresh = `raw/${id}/other`;
      await assert.rejects(storage.put(fresh, failingByteStream(100 * 1024)), StorageError);
      assert.equal(await storage.head(fresh), undefined);
      assert.deepEqual((await collect(storage.list(`raw/${id}/`))).map((o) => o.key), [existing]);
    });

    it("rejects traversal, absolute and malformed keys before any I/O", async () => {
      const offline = fixture.unreachable;
      for (const key of BAD_KEYS) {
        for (const store of [storage, offline]) {
          await rejectsWith(store.put(key, Buffer.from("x")), "invalid_key");
          await rejectsWith(store.get(key), "invalid_key");
          await rejectsWith(store.head(key), "invalid_key");
          await rejectsWith(store.delete(key), "invalid_key");
        }
      }
      // A prefix may end with "/"; every other rule still holds.
      for (const prefix of [...BAD_KEYS.filter((key) => !key.endsWith("/")), "raw//", "other/"]) {
        await rejectsWith(collect(offline.list(prefix)), "invalid_key");
        await rejectsWith(offline.deleteByPrefix(prefix), "invalid_key");
      }
    });

    it("reports an unreachable backend as unavailable", async () => {
      const offline = fixture.unreachable;
      await rejectsWith(offline.ping(), "unavailable");
      await rejectsWith(offline.put(`raw/${uniqueId()}/source`, Buffer.from("x")), "unavailable");
      await storage.ping();
    });

    it("lists exactly the objects under a prefix, in key order, across pages", async () => {
      const id = uniqueId();
      const names = ["hls/720p/seg-001.m4s", "hls/720p/seg-002.m4s", "hls/index.m3u8", "poster.jpg", "storyboard.vtt"];
      for (let i = 0; i < 12; i += 1) names.push(`thumbs/t${String(i).padStart(2, "0")}.jpg`);
      const keys = names.map((n) => `media/${id}/${n}`);
      for (const key of [...keys].reverse()) await storage.put(key, Buffer.from(key));
      await storage.put(`media/${id}0/intruder`, Buffer.from("x"));
      await storage.put(`raw/${id}/source`, Buffer.from("x"));

      const listed = await collect(storage.list(`media/${id}/`));
      assert.deepEqual(listed.map((o) => o.key), [...keys].sort());
      for (const object of listed) {
        assert.equal(object.size, Buffer.byteLength(object.key));
        assert.match(object.etag, /^".+"$/);
        assert.equal(object.contentType, undefined);
      }
      const partial = await collect(storage.list(`media/${id}/hls/720p/seg-00`));
      assert.deepEqual(partial.map((o) => o.key), [`media/${id}/hls/720p/seg-001.m4s`, `media/${id}/hls/720p/seg-002.m4s`]);
      assert.deepEqual(await collect(storage.list(`media/${id}/nothing/`)), []);
    });

    it("deletes by prefix only what is under that prefix", async () => {
      const id = uniqueId();
      const doomed = [`media/${id}/index.m3u8`, `media/${id}/thumbs/1.jpg`];
      for (let i = 0; i < 10; i += 1) doomed.push(`media/${id}/720p/seg-${i}.m4s`);
      const kept = [`media/${id}0/index.m3u8`, `raw/${id}/source`];
      for (const key of [...doomed, ...kept]) await storage.put(key, Buffer.from(key));

      assert.equal(await storage.deleteByPrefix(`media/${id}/`), doomed.length);
      assert.deepEqual(await collect(storage.list(`media/${id}/`)), []);
      for (const key of kept) assert.ok(await storage.head(key), `${key} survives`);
      assert.equal(await storage.deleteByPrefix(`media/${id}/`), 0);

      await storage.put(`media/${id}/index.m3u8`, Buffer.from("again"));
      assert.equal((await storage.head(`media/${id}/index.m3u8`))?.size, 5);
    });

    it("streams a 50 MiB object both ways without holding it in memory", async () => {
      const key = `raw/${uniqueId()}/source`;
      const size = 50 * MiB;
      const stored = await measurePeakGrowth(async (sample) => {
        const source = randomByteStream(size, sample);
        const info = await storage.put(key, source.stream, { contentType: "video/mp4" });
        return { info, sha256: source.sha256() };
      });
      assert.equal(stored.result.info.size, size);
      const read = await measurePeakGrowth(async (sample) => sha256Of((await storage.get(key)).body, sample));
      assert.equal(read.result, stored.result.sha256);
      // Well under the object's size; the S3 driver holds about (uploadConcurrency + 2) part sizes.
      const limit = 20 * MiB;
      assert.ok(stored.peakGrowth < limit, `put grew live memory by ${(stored.peakGrowth / MiB).toFixed(1)} MiB`);
      assert.ok(read.peakGrowth < limit, `get grew live memory by ${(read.peakGrowth / MiB).toFixed(1)} MiB`);
    });
  });
}
