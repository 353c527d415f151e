import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { startTestCatalog, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
before(async () => {
  env = await startTestCatalog();
});
after(() => env.close());

test("paging newest first stays stable while rows are inserted", async () => {
  const carol = env.clientAs("carol-pages");
  const created: string[] = [];
  for (let i = 0; i < 25; i++) created.push((await carol.createVideo({ title: `video ${i}` })).video!.id);

  const seen: string[] = [];
  let pageToken = "";
  let pages = 0;
  do {
    const page = await carol.listVideos({ ownerId: "carol-pages", pageSize: 7, pageToken });
    seen.push(...page.videos.map((v) => v.id));
    pageToken = page.nextPageToken;
    pages++;
    // Inserts between pages must neither repeat nor skip rows of later pages.
    await carol.createVideo({ title: `inserted during paging ${pages}` });
  } while (pageToken !== "");

  assert.deepEqual(seen, [...created].reverse());
  assert.equal(pages, 4);
});

test("filters by owner and status, and a token only fits its own filters", async () => {
  const dan = env.clientAs("dan-filter");
  const erin = env.clientAs("erin-filter");
  for (let i = 0; i < 3; i++) await dan.createVideo({ title: `dan ${i}` });
  await erin.createVideo({ title: "erin" });

  const dans = await dan.listVideos({ ownerId: "dan-filter", status: VideoStatus.UPLOADING, pageSize: 2 });
  assert.equal(dans.videos.length, 2);
  assert.ok(dans.videos.every((v) => v.ownerId === "dan-filter" && v.status === VideoStatus.UPLOADING));
  assert.notEqual(dans.nextPageToken, "");

  const ready = await dan.listVideos({ ownerId: "dan-filter", status: VideoStatus.READY });
  assert.equal(ready.videos.length, 0);

  await assert.rejects(dan.listVideos({ ownerId: "erin-filter", pageToken: dans.nextPageToken }), (error: { code: number }) => {
    assert.equal(error.code, GrpcStatus.INVALID_ARGUMENT);
    return true;
  });
});
