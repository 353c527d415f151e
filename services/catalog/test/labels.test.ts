import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { requireTestEnv } from "@kino/testkit";
import { connect, type NatsConnection } from "nats";
import { startTestCatalog, type CatalogClient, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
let nats: NatsConnection;
let alice: CatalogClient;
let admin: CatalogClient;

before(async () => {
  env = await startTestCatalog();
  nats = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
  alice = env.clientAs("alice-labels");
  admin = env.clientAs("the-admin", "admin");
});
after(async () => {
  await nats.close();
  await env.close();
});

async function refused(promise: Promise<unknown>, code: GrpcStatus, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `${GrpcStatus[error.code]}: ${error.details}`);
    assert.match(error.details, message);
    return true;
  });
}

test("tags are normalised (case, spaces, Unicode form, duplicates), at most 20; languages are canonical BCP 47", async () => {
  const { video } = await alice.createVideo({
    title: "labels",
    tags: ["  Cooking ", "cooking", "Street   Food", "Cafe\u0301", "café"],
    language: "PT-br",
  });
  assert.deepEqual(video!.tags, ["cooking", "street food", "café"]);
  assert.equal(video!.language, "pt-BR");
  await refused(alice.createVideo({ title: "x", tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }), GrpcStatus.INVALID_ARGUMENT, /at most 20 tags/);
  await refused(alice.createVideo({ title: "x", tags: ["ok", "bad\u0000tag"] }), GrpcStatus.INVALID_ARGUMENT, /tags\[1\]/);
  await refused(alice.createVideo({ title: "x", tags: [""] }), GrpcStatus.INVALID_ARGUMENT, /tags\[0\]/);
  await refused(alice.createVideo({ title: "x", tags: ["x".repeat(41)] }), GrpcStatus.INVALID_ARGUMENT, /tags\[0\]/);
  await refused(alice.createVideo({ title: "x", language: "not a language" }), GrpcStatus.INVALID_ARGUMENT, /BCP 47/);

  const { video: cleared } = await alice.updateVideo({ id: video!.id, tags: { tags: [] }, language: "" });
  assert.deepEqual([cleared!.tags, cleared!.language], [[], ""]);
  const { video: kept } = await alice.updateVideo({ id: video!.id, title: "renamed" });
  assert.deepEqual(kept!.tags, [], "an update without tags leaves them");
});

test("categories come from the admins' list: others may not change it, videos may only name existing ones, deleting one clears it", async () => {
  await refused(alice.putCategory({ category: { slug: "music", name: "Music" } }), GrpcStatus.PERMISSION_DENIED, /only admins/);
  await admin.putCategory({ category: { slug: "music", name: "Music" } });
  await admin.putCategory({ category: { slug: "cooking", name: "Cooking" } });
  await admin.putCategory({ category: { slug: "music", name: "Music & Sound" } });
  await refused(admin.putCategory({ category: { slug: "Bad Slug", name: "x" } }), GrpcStatus.INVALID_ARGUMENT, /category.slug/);
  assert.deepEqual((await alice.listCategories({})).categories.map((c) => [c.slug, c.name]), [["cooking", "Cooking"], ["music", "Music & Sound"]]);

  const { video } = await alice.createVideo({ title: "a song", category: "music" });
  assert.equal(video!.category, "music");
  await refused(alice.createVideo({ title: "x", category: "poetry" }), GrpcStatus.INVALID_ARGUMENT, /does not exist/);
  await refused(alice.deleteCategory({ slug: "music" }), GrpcStatus.PERMISSION_DENIED, /only admins/);
  await admin.deleteCategory({ slug: "music" });
  await refused(admin.deleteCategory({ slug: "music" }), GrpcStatus.NOT_FOUND, /not found/);
  const { video: after } = await alice.getVideo({ id: video!.id });
  assert.equal(after!.category, "");

  // Every change reached the event stream with the video as it then was, one event per version.
  await env.catalog.outbox.drained(5000);
  const events = [];
  const jsm = await nats.jetstreamManager();
  const info = await jsm.streams.info(env.topology.streams.events);
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(env.topology.streams.events, { seq }).catch(() => undefined);
    if (!message) continue;
    const event = fromBinary(VideoEventSchema, message.data);
    if (event.videoId === video!.id) events.push(event);
  }
  assert.deepEqual(
    events.map((e) => [e.kind.case, e.eventId, e.video?.category, e.video?.version]),
    [
      ["created", `${video!.id}.created`, "music", 1n],
      ["updated", `${video!.id}.updated.2`, "", 2n],
    ],
  );
});
