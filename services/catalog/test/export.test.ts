import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { withCallOptions } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { Visibility, type CatalogExportService, type Video } from "@kino/proto/catalog/v1";
import { exportClientFor, type ExportClient } from "../src/testing.ts";
import { startTestCatalog, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
let exporter: ExportClient;
const credentials = testServiceCredentials();
const made: Video[] = [];

before(async () => {
  env = await startTestCatalog();
  exporter = exportClientFor(credentials, env.address);
  const alice = env.clientAs("alice");
  const bob = env.clientAs("bob");
  for (let i = 0; i < 5; i++) made.push((await alice.createVideo({ title: `alice ${i}` })).video!);
  made.push((await bob.createVideo({ title: "bob's private", visibility: Visibility.PRIVATE })).video!);
  // A later version: the export carries the video as it is now.
  made[0] = (await alice.updateVideo({ id: made[0]!.id, title: "alice 0, renamed" })).video!;
  await alice.deleteVideo({ id: made[1]!.id });
});
after(async () => {
  exporter?.close();
  await env?.close();
});

async function exportAll(request: { afterVideoId?: string; pageSize?: number } = {}, client = exporter): Promise<Video[][]> {
  const pages: Video[][] = [];
  for await (const page of client.exportVideos(request)) pages.push(page.videos);
  return pages;
}

test("every video not deleted, any owner and visibility, ordered by id, as it is now, page by page", async () => {
  const pages = await exportAll({ pageSize: 2 });
  assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
  const exported = pages.flat();
  const live = made.filter((_, i) => i !== 1).sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(exported.map((v) => v.id), live.map((v) => v.id));
  const renamed = exported.find((v) => v.id === made[0]!.id)!;
  assert.equal(renamed.title, "alice 0, renamed");
  assert.equal(renamed.version, made[0]!.version);
  assert.equal(exported.find((v) => v.ownerId === "bob")?.visibility, Visibility.PRIVATE);
});

test("an interrupted export resumes after the last id it received", async () => {
  const all = (await exportAll()).flat();
  const rest = (await exportAll({ afterVideoId: all[1]!.id })).flat();
  assert.deepEqual(rest.map((v) => v.id), all.slice(2).map((v) => v.id));
});

const failsWith = (code: GrpcStatus, pattern: RegExp) => (error: { code?: number; details?: string }) => {
  assert.equal(error.code, code, error.details);
  assert.match(error.details ?? "", pattern);
  return true;
};

test("only the search service may export, and not on anyone's behalf; bad pages are refused by name", async () => {
  const gateway = exportClientFor(credentials, env.address, "gateway");
  try {
    await assert.rejects(exportAll({}, gateway), failsWith(GrpcStatus.PERMISSION_DENIED, /gateway/));
  } finally {
    gateway.close();
  }
  const forAlice = withCallOptions<typeof CatalogExportService>(exporter, { onBehalfOf: { userId: "alice", role: "user" } });
  await assert.rejects(exportAll({}, forAlice), failsWith(GrpcStatus.PERMISSION_DENIED, /behalf|user/));
  await assert.rejects(exportAll({ pageSize: 1001 }), failsWith(GrpcStatus.INVALID_ARGUMENT, /page_size/));
  await assert.rejects(exportAll({ afterVideoId: "../../etc" }), failsWith(GrpcStatus.INVALID_ARGUMENT, /after_video_id/));
});
