import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  mediaKey,
  mediaPrefix,
  rawKey,
  rawPrefix,
  StorageError,
  uploadKey,
  uploadPrefix,
  validateKey,
  validatePrefix,
} from "../src/index.ts";

function assertInvalid(action: () => unknown, ...mentions: string[]): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(StorageError.is(error, "invalid_key"), String(error));
    for (const text of mentions) assert.ok(error.message.includes(text), `${error.message} should mention ${text}`);
    return true;
  });
}

describe("validateKey", () => {
  it("accepts the keys Kino builds, up to 1024 characters", () => {
    const longest = `raw/${"a/".repeat(509)}bb`;
    assert.equal(longest.length, 1024);
    for (const key of ["raw/v1/source", "media/v1/720p/seg-001.m4s", "media/v1/.hidden", "uploads/u_1/part.0", longest]) {
      validateKey(key);
    }
  });

  it("names the key and the rule it breaks", () => {
    assertInvalid(() => validateKey("raw/../../x"), '"raw/../../x"', '".." segment');
    assertInvalid(() => validateKey("raw/./x"), '"." segment');
    assertInvalid(() => validateKey("/etc/passwd"), "starts with /");
    assertInvalid(() => validateKey("raw//x"), "empty segment");
    assertInvalid(() => validateKey("raw/x/"), "empty segment");
    assertInvalid(() => validateKey("media/a\\b"), "backslash");
    assertInvalid(() => validateKey("raw/a b"), "characters outside [A-Za-z0-9._-]");
    assertInvalid(() => validateKey("raw/vidéo"), "characters outside");
    assertInvalid(() => validateKey("etc/passwd"), "first segment must be one of raw, media, uploads");
    assertInvalid(() => validateKey(""), "empty");
    assertInvalid(() => validateKey(`raw/${"a".repeat(1021)}`), "longer than 1024");
    assertInvalid(() => validateKey(`raw/${"a".repeat(256)}`), "segment longer than 255");
    assertInvalid(() => validateKey(42 as unknown as string), "not a string");
  });
});

describe("validatePrefix", () => {
  it("accepts whole and partial prefixes, with or without a trailing slash", () => {
    for (const prefix of ["raw", "media/", "media/v1/", "media/v1/seg-0", "uploads/u1"]) validatePrefix(prefix);
  });

  it("rejects what validateKey rejects, and an empty prefix", () => {
    for (const prefix of ["", "/", "raw//", "../raw/", "raw/../media/", "other/", "media/a b/"]) {
      assertInvalid(() => validatePrefix(prefix), "invalid storage prefix");
    }
  });
});

describe("key builders", () => {
  it("build raw, media and upload keys and prefixes", () => {
    assert.equal(rawKey("vid_1-A", "source"), "raw/vid_1-A/source");
    assert.equal(mediaKey("vid_1-A", "720p", "seg-001.m4s"), "media/vid_1-A/720p/seg-001.m4s");
    assert.equal(mediaKey("v", "master.m3u8"), "media/v/master.m3u8");
    assert.equal(uploadKey("0f3c", "data"), "uploads/0f3c/data");
    assert.equal(rawPrefix("v1"), "raw/v1/");
    assert.equal(mediaPrefix("v1"), "media/v1/");
    assert.equal(uploadPrefix("u1"), "uploads/u1/");
  });

  it("reject ids that are not 1-64 characters of [A-Za-z0-9_-]", () => {
    for (const id of ["", "..", "a/b", "a.b", "a b", "é", "x".repeat(65)]) {
      assertInvalid(() => rawKey(id, "source"), "video id");
      assertInvalid(() => mediaPrefix(id), "video id");
      assertInvalid(() => uploadKey(id, "data"), "upload id");
    }
    rawKey("x".repeat(64), "source");
  });

  it("reject parts that are not single safe segments", () => {
    for (const part of ["", ".", "..", "a/b", "../x", "a\\b", "a b"]) {
      assertInvalid(() => mediaKey("v1", part), "key segment");
      assertInvalid(() => rawKey("v1", part), "key segment");
    }
  });
});
