import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { createLocalStorage, StorageError, type ObjectInfo, type Storage } from "../src/index.ts";
import { failingByteStream, readAll } from "./byte-streams.ts";
import { runStorageConformance } from "./conformance.ts";

runStorageConformance("local", async () => {
  const dir = await createTempDir("kino-storage-local-");
  // A root below a regular file: every filesystem call under it fails.
  const blocker = join(dir.path, "not-a-directory");
  await writeFile(blocker, "");
  return {
    storage: createLocalStorage({ root: join(dir.path, "objects") }),
    unreachable: createLocalStorage({ root: join(blocker, "objects") }),
    close: () => dir.remove(),
  };
});

async function keysOf(items: AsyncIterable<ObjectInfo>): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of items) keys.push(item.key);
  return keys;
}

describe("local storage on disk", () => {
  let dir: TempDir;
  let root: string;
  let storage: Storage;

  before(async () => {
    dir = await createTempDir("kino-storage-local-disk-");
    root = join(dir.path, "objects");
    storage = createLocalStorage({ root });
  });
  after(() => dir.remove());

  it("lists in S3's key order where '-' and '.' meet '/'", async () => {
    const keys = ["media/o/720p/seg.m4s", "media/o/720p.m3u8", "media/o/720p-b", "media/o/7200", "media/o/a/b", "media/o/a.b"];
    for (const key of keys) await storage.put(key, Buffer.from(key));
    assert.deepEqual(await keysOf(storage.list("media/o/")), [...keys].sort());
    assert.deepEqual(await keysOf(storage.list("media/o/720p")), [...keys].sort().filter((k) => k.startsWith("media/o/720p")));
  });

  it("serves the old object, whole, while a replacement is being written", async () => {
    await storage.put("raw/swap/source", Buffer.from("old object"), { contentType: "text/plain" });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let halfWritten!: () => void;
    const written = new Promise<void>((resolve) => (halfWritten = resolve));
    async function* slowBody(): AsyncGenerator<Buffer> {
      yield randomBytes(256 * 1024);
      halfWritten();
      await gate;
      yield Buffer.from("end");
    }
    const putting = storage.put("raw/swap/source", Readable.from(slowBody()), { contentType: "video/mp4" });
    await written;
    const during = await storage.get("raw/swap/source");
    assert.equal((await readAll(during.body)).toString(), "old object");
    assert.equal(during.info.contentType, "text/plain");
    assert.deepEqual(await keysOf(storage.list("raw/swap/")), ["raw/swap/source"]);
    release();
    const info = await putting;
    assert.equal(info.size, 256 * 1024 + 3);
    assert.equal((await storage.head("raw/swap/source"))?.contentType, "video/mp4");
  });

  it("leaves no temp file behind when a put fails", async () => {
    await assert.rejects(storage.put("raw/failed/source", failingByteStream(512 * 1024)), StorageError);
    assert.deepEqual(await readdir(join(root, ".tmp")), []);
  });

  it("never follows a symlink out of the root", async () => {
    const outside = join(dir.path, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "secret"), "do not serve");
    await mkdir(join(root, "raw", "links"), { recursive: true });
    await symlink(join(outside, "secret"), join(root, "raw", "links", "file"));
    await symlink(outside, join(root, "raw", "links", "dir"));

    await assert.rejects(storage.get("raw/links/file"), (error: unknown) => StorageError.is(error, "not_found"));
    assert.equal(await storage.head("raw/links/file"), undefined);
    const escapes = (error: unknown) => StorageError.is(error, "unavailable") && /outside the storage root/.test(error.message);
    await assert.rejects(storage.get("raw/links/dir/secret"), escapes);
    await assert.rejects(storage.put("raw/links/dir/planted", Buffer.from("x")), escapes);
    await assert.rejects(storage.put("raw/links/dir/new/planted", Buffer.from("x")), escapes);
    await assert.rejects(storage.delete("raw/links/dir/secret"), escapes);
    await assert.rejects(keysOf(storage.list("raw/links/dir/")), escapes);
    await assert.rejects(storage.deleteByPrefix("raw/links/dir/"), escapes);
    assert.deepEqual(await keysOf(storage.list("raw/links/")), []);
    assert.equal(await storage.deleteByPrefix("raw/links/"), 0);
    assert.deepEqual(await readdir(outside), ["secret"]);
    assert.equal((await stat(join(outside, "secret"))).size, "do not serve".length);
  });

  it("reports a file it did not write as unavailable, naming the key", async () => {
    await mkdir(join(root, "raw", "foreign"), { recursive: true });
    await writeFile(join(root, "raw", "foreign", "source"), "copied in by hand");
    await assert.rejects(storage.get("raw/foreign/source"), (error: unknown) => {
      assert.ok(StorageError.is(error, "unavailable"));
      assert.match(error.message, /raw\/foreign\/source/);
      return true;
    });
  });

  it("removes directories that deleting leaves empty", async () => {
    await storage.put("media/tidy/720p/seg-1.m4s", Buffer.from("x"));
    await storage.put("media/tidy/index.m3u8", Buffer.from("x"));
    await storage.put("media/tidy2/index.m3u8", Buffer.from("x"));
    assert.equal(await storage.deleteByPrefix("media/tidy/"), 2);
    await assert.rejects(stat(join(root, "media", "tidy")), { code: "ENOENT" });
    assert.ok((await stat(join(root, "media", "tidy2"))).isDirectory());

    await storage.put("raw/tidy/source", Buffer.from("x"));
    await storage.delete("raw/tidy/source");
    await assert.rejects(stat(join(root, "raw", "tidy")), { code: "ENOENT" });
  });
});
