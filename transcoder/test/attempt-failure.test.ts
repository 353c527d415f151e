import assert from "node:assert/strict";
import { test } from "node:test";
import { FfmpegError, UnplayableSourceError } from "@kino/media";
import { StorageError } from "@kino/storage";
import { classifyAttemptFailure, retryDelayMs } from "../src/jobs/attempt-failure.ts";

test("retries wait the base delay, doubled for each attempt already made", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(5000, n)), [5000, 10_000, 20_000, 40_000]);
});

test("failures are judged by what they say about the video", () => {
  assert.deepEqual(classifyAttemptFailure(new UnplayableSourceError("no_video_stream", "the file has no video")), { kind: "unplayable", reason: "the file has no video" });
  const encode = new FfmpegError("ffmpeg_failed", { program: "ffmpeg", exitCode: 1, reason: "Error while decoding stream #0:0: Invalid data found when processing input" });
  assert.deepEqual(classifyAttemptFailure(encode), { kind: "attempt", reason: encode.reason });
  assert.equal(classifyAttemptFailure(new FfmpegError("ffmpeg_unavailable", { program: "ffmpeg", exitCode: null, reason: "spawn ffmpeg ENOENT" })).kind, "host");
  assert.equal(classifyAttemptFailure(new StorageError("unavailable", "connect ECONNREFUSED")).kind, "host");
  assert.deepEqual(classifyAttemptFailure(new StorageError("not_found", "raw/v1/source")), { kind: "attempt", reason: "the uploaded source file is missing" });
  // An internal error's message (paths, stack details) stays in the logs.
  assert.deepEqual(classifyAttemptFailure(new TypeError("cannot read properties of undefined (reading 'x') at /srv/kino/…")), {
    kind: "attempt",
    reason: "transcoding failed with an internal error",
  });
});
