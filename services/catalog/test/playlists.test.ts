import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createDatabase } from "@kino/database";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { sql } from "kysely";
import { rejectsWith, startEngagementCatalog, type EngagementClient, type EngagementTestCatalog } from "./start-engagement-catalog.ts";

let env: EngagementTestCatalog;
let alice: EngagementClient;
let bob: EngagementClient;
let anonymous: EngagementClient;
let videos: Video[];

before(async () => {
  env = await startEngagementCatalog();
  alice = env.engagementAs("alice");
  bob = env.engagementAs("bob");
  anonymous = env.engagementAs(undefined);
  videos = [];
  for (let i = 0; i < 8; i++) videos.push(await env.readyVideo("creator", Visibility.PUBLIC, `v${i}`));
});
after(() => env.close());

/** A playlist's videos as `client` sees them, as indexes into `videos`, over pages of 3. */
async function order(client: EngagementClient, playlistId: string): Promise<number[]> {
  const found: number[] = [];
  let pageToken = "";
  do {
    const page = await client.listPlaylistItems({ playlistId, pageSize: 3, pageToken });
    found.push(...page.items.map((item) => videos.findIndex((v) => v.id === item.videoId)));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return found;
}

test("items keep their order through add, move and remove; a video is in a playlist once", async () => {
  const { playlist } = await alice.createPlaylist({ title: "  Mix  ", description: "songs" });
  assert.equal(playlist!.title, "Mix");
  assert.equal(playlist!.visibility, Visibility.PRIVATE, "private unless told");
  for (const video of videos.slice(0, 5)) await alice.addPlaylistItem({ playlistId: playlist!.id, videoId: video.id });
  const again = await alice.addPlaylistItem({ playlistId: playlist!.id, videoId: videos[1]!.id });
  assert.equal(again.item!.position, 1, "adding a video again leaves it where it is");
  assert.equal(again.playlist!.itemCount, 5);
  assert.deepEqual(await order(alice, playlist!.id), [0, 1, 2, 3, 4]);

  assert.equal((await alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[4]!.id, position: 0 })).item!.position, 0);
  assert.deepEqual(await order(alice, playlist!.id), [4, 0, 1, 2, 3]);
  await alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[4]!.id, position: 2 });
  assert.deepEqual(await order(alice, playlist!.id), [0, 1, 4, 2, 3]);
  assert.equal((await alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[0]!.id, position: 99 })).item!.position, 4, "past the end is last");
  assert.deepEqual(await order(alice, playlist!.id), [1, 4, 2, 3, 0]);
  const removed = await alice.removePlaylistItem({ playlistId: playlist!.id, videoId: videos[4]!.id });
  assert.equal(removed.playlist!.itemCount, 4);
  assert.deepEqual(await order(alice, playlist!.id), [1, 2, 3, 0]);
  const positions = (await alice.listPlaylistItems({ playlistId: playlist!.id })).items.map((item) => item.position);
  assert.deepEqual(positions, [0, 1, 2, 3], "positions stay dense after a removal");
  await rejectsWith(alice.removePlaylistItem({ playlistId: playlist!.id, videoId: videos[4]!.id }), GrpcStatus.NOT_FOUND, /not in playlist/);
  await rejectsWith(alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[0]!.id, position: -1 }), GrpcStatus.INVALID_ARGUMENT, /position/);
});

test("concurrent moves of one playlist leave a permutation of its items with dense positions", async () => {
  const { playlist } = await alice.createPlaylist({ title: "busy", visibility: Visibility.PUBLIC });
  for (const video of videos) await alice.addPlaylistItem({ playlistId: playlist!.id, videoId: video.id });
  const moves = Array.from({ length: 40 }, (_, i) => alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[(i * 3) % 8]!.id, position: (i * 5) % 8 }));
  const adds = Array.from({ length: 3 }, () => alice.addPlaylistItem({ playlistId: playlist!.id, videoId: videos[2]!.id }));
  await Promise.all([...moves, ...adds]);
  const items = (await alice.listPlaylistItems({ playlistId: playlist!.id, pageSize: 100 })).items;
  assert.deepEqual(items.map((item) => item.position), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(items.map((item) => item.videoId).sort(), videos.map((v) => v.id).sort(), "every video once");
  await alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[7]!.id, position: 0 });
  assert.equal((await order(anonymous, playlist!.id))[0], 7);
});

test("visibility: private playlists are the owner's, public ones are listed, unlisted ones reachable by id; listings omit videos the viewer may not see", async () => {
  const secretVideo = await env.readyVideo("creator", Visibility.PUBLIC, "soon private");
  const aliceOwn = await env.readyVideo("alice", Visibility.PRIVATE, "alice's private");
  const pub = (await alice.createPlaylist({ title: "public one", visibility: Visibility.PUBLIC })).playlist!;
  const unlisted = (await alice.createPlaylist({ title: "unlisted one", visibility: Visibility.UNLISTED })).playlist!;
  const priv = (await alice.createPlaylist({ title: "private one" })).playlist!;
  for (const video of [videos[0]!, secretVideo, aliceOwn, videos[1]!]) await alice.addPlaylistItem({ playlistId: pub.id, videoId: video.id });
  await env.catalogAs("creator").updateVideo({ id: secretVideo.id, visibility: Visibility.PRIVATE });

  assert.deepEqual((await bob.listPlaylistItems({ playlistId: pub.id })).items.map((i) => [i.videoId, i.position]), [[videos[0]!.id, 0], [videos[1]!.id, 3]], "others' private videos are left out; positions are the whole playlist's");
  assert.deepEqual((await alice.listPlaylistItems({ playlistId: pub.id })).items.map((i) => i.position), [0, 2, 3], "the owner sees their own private video, not others'");
  await rejectsWith(bob.addPlaylistItem({ playlistId: pub.id, videoId: secretVideo.id }), GrpcStatus.NOT_FOUND);
  await rejectsWith(alice.addPlaylistItem({ playlistId: pub.id, videoId: secretVideo.id }), GrpcStatus.NOT_FOUND, /video .* not found/);
  // A video made private since still comes out of the playlist.
  await alice.removePlaylistItem({ playlistId: pub.id, videoId: secretVideo.id });

  assert.equal((await anonymous.getPlaylist({ playlistId: unlisted.id })).playlist!.title, "unlisted one");
  await rejectsWith(bob.getPlaylist({ playlistId: priv.id }), GrpcStatus.NOT_FOUND);
  await rejectsWith(bob.listPlaylistItems({ playlistId: priv.id }), GrpcStatus.NOT_FOUND);
  const theirs = await bob.listPlaylists({ ownerId: "alice", pageSize: 100 });
  assert.ok(theirs.playlists.every((p) => p.visibility === Visibility.PUBLIC) && theirs.playlists.some((p) => p.id === pub.id));
  const mine = await alice.listPlaylists({ pageSize: 100 });
  assert.ok([pub.id, unlisted.id, priv.id].every((id) => mine.playlists.some((p) => p.id === id)));
  await rejectsWith(anonymous.listPlaylists({}), GrpcStatus.UNAUTHENTICATED);
  const paged = await alice.listPlaylists({ pageSize: 1 });
  const rest = await alice.listPlaylists({ pageSize: 100, pageToken: paged.nextPageToken });
  assert.equal(paged.playlists.length + rest.playlists.length, mine.playlists.length);
  await rejectsWith(bob.listPlaylists({ pageToken: paged.nextPageToken }), GrpcStatus.INVALID_ARGUMENT, /different listing/);
});

test("only the owner changes a playlist: rename, describe, change visibility, delete", async () => {
  const { playlist } = await alice.createPlaylist({ title: "mine", visibility: Visibility.PUBLIC });
  await rejectsWith(bob.updatePlaylist({ playlistId: playlist!.id, title: "bob's now" }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(bob.addPlaylistItem({ playlistId: playlist!.id, videoId: videos[0]!.id }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(bob.deletePlaylist({ playlistId: playlist!.id }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(alice.updatePlaylist({ playlistId: playlist!.id, title: "" }), GrpcStatus.INVALID_ARGUMENT, /title/);
  await rejectsWith(alice.updatePlaylist({ playlistId: playlist!.id, visibility: 7 as Visibility }), GrpcStatus.INVALID_ARGUMENT, /visibility/);
  const updated = await alice.updatePlaylist({ playlistId: playlist!.id, title: "renamed", description: "about", visibility: Visibility.PRIVATE });
  assert.deepEqual([updated.playlist!.title, updated.playlist!.description, updated.playlist!.visibility], ["renamed", "about", Visibility.PRIVATE]);
  await rejectsWith(bob.updatePlaylist({ playlistId: playlist!.id, title: "x" }), GrpcStatus.NOT_FOUND, /not found/);
  await alice.deletePlaylist({ playlistId: playlist!.id });
  await rejectsWith(alice.getPlaylist({ playlistId: playlist!.id }), GrpcStatus.NOT_FOUND);
  await rejectsWith(alice.getPlaylist({ playlistId: "../x" }), GrpcStatus.INVALID_ARGUMENT, /playlist_id/);
});

test("a playlist holds at most 5000 items", { timeout: 120_000 }, async () => {
  const { playlist } = await alice.createPlaylist({ title: "full" });
  // 4999 videos and items written straight to the database: 5000 uploads would only test the pipeline.
  const db = createDatabase<unknown>({ url: env.started.databaseUrl });
  try {
    await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO videos (id, owner_id, title, description, status, failure_reason, duration_seconds, renditions, playback_path, poster_path)
        SELECT lpad(i::text, 20, 'f'), 'creator', 'filler', '', 'READY', '', 1, '[]', '', '' FROM generate_series(1, 4999) AS i`.execute(trx);
      await sql`INSERT INTO playlist_items (playlist_id, video_id, position) SELECT ${playlist!.id}, lpad(i::text, 20, 'f'), i - 1 FROM generate_series(1, 4999) AS i`.execute(trx);
      await sql`UPDATE playlists SET item_count = 4999 WHERE id = ${playlist!.id}`.execute(trx);
    });
  } finally {
    await db.destroy();
  }
  const last = await alice.addPlaylistItem({ playlistId: playlist!.id, videoId: videos[0]!.id });
  assert.deepEqual([last.item!.position, last.playlist!.itemCount], [4999, 5000]);
  await rejectsWith(alice.addPlaylistItem({ playlistId: playlist!.id, videoId: videos[1]!.id }), GrpcStatus.FAILED_PRECONDITION, /5000 items/);
  await alice.movePlaylistItem({ playlistId: playlist!.id, videoId: videos[0]!.id, position: 0 });
  assert.equal((await alice.listPlaylistItems({ playlistId: playlist!.id, pageSize: 1 })).items[0]!.videoId, videos[0]!.id, "a move across 5000 items");
});
