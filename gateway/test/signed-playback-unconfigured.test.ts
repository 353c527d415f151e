import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { Visibility } from "@kino/proto/catalog/v1";
import { startPlaybackStack, userIds, type PlaybackStack } from "./playback-stack.ts";

let stack: PlaybackStack;
before(async () => {
  stack = await startPlaybackStack({ tokenSecret: false });
});
after(() => stack?.close());

test("without KINO_PLAYBACK_TOKEN_SECRET public videos play, and unlisted or private ones never do", async () => {
  const publicVideo = await stack.readyVideo("alice", Visibility.PUBLIC);
  const { hlsUrl } = await stack.playbackAs(undefined).getPlaybackInfo({ videoId: publicVideo.id });
  assert.equal((await fetch(hlsUrl)).status, 200);

  for (const visibility of [Visibility.UNLISTED, Visibility.PRIVATE]) {
    const video = await stack.readyVideo("alice", visibility);
    await assert.rejects(stack.playbackAs("alice").getPlaybackInfo({ videoId: video.id }), (error: unknown) => {
      assert.ok(error instanceof ConnectError);
      assert.equal(error.code, Code.FailedPrecondition);
      assert.match(error.rawMessage, /KINO_PLAYBACK_TOKEN_SECRET is not set/);
      return true;
    });
    // Whatever secret a token was signed with, this origin has none to check it against.
    const forged = stack.tokens.issue({ videoId: video.id, viewerId: userIds.alice }).token;
    for (const path of [video.playbackPath, video.playbackPath.replace("/master.m3u8", `/~${forged}/master.m3u8`)]) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      assert.equal(res.status, 403, path);
    }
  }
});
