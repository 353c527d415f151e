import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import { Visibility, type EngagementService, type PlaylistSchema } from "@kino/proto/catalog/v1";
import type { Transaction } from "kysely";
import { requireEngagementId, requireUser, visibleVideo } from "./engagement-access.ts";
import type { EngagementDependencies } from "./engagement-dependencies.ts";
import { decodeCursor, encodeCursor, sequenceKey } from "./engagement-page-token.ts";
import type { PlaylistRow } from "./engagement-schema.ts";
import type { CatalogDatabase } from "./schema.ts";
import { requireId, validateDescription, validateOwnerFilter, validatePageSize, validateTitle } from "./validation.ts";
import { videoMessage } from "./video-message.ts";
import { newVideoId } from "./video-id.ts";
import { visibilityFromProto, visibilityToProto } from "./visibility.ts";
import { isVisible, visibleVideoSql } from "./visibility-rules.ts";

type PlaylistMethods =
  | "createPlaylist"
  | "getPlaylist"
  | "updatePlaylist"
  | "deletePlaylist"
  | "listPlaylists"
  | "addPlaylistItem"
  | "removePlaylistItem"
  | "movePlaylistItem"
  | "listPlaylistItems";

export const maxPlaylistItems = 5000;

function playlistMessage(row: PlaylistRow): MessageInitShape<typeof PlaylistSchema> {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    visibility: visibilityToProto(row.visibility),
    itemCount: row.item_count,
    createTime: timestampFromDate(row.created_at),
    updateTime: timestampFromDate(row.updated_at),
  };
}

function playlistNotFound(id: string): KinoError {
  return new KinoError("not_found", `playlist ${id} not found`);
}

function notInPlaylist(videoId: string, playlistId: string): KinoError {
  return new KinoError("not_found", `video ${videoId} is not in playlist ${playlistId}`);
}

/** Who may read a playlist: its owner; anyone, when it is PUBLIC or UNLISTED. */
function readable(row: PlaylistRow, callerId: string | undefined): boolean {
  return row.owner_id === callerId || row.visibility !== "PRIVATE";
}

/**
 * Positions are dense, 0 to item_count - 1. Every change of a playlist's
 * items first locks the playlist's row (SELECT … FOR UPDATE), so changes
 * of one playlist run one after another and each sees the order the last
 * one left; the unique (playlist, position) constraint, checked at commit,
 * would refuse any that broke it.
 */
async function lockOwned(trx: Transaction<CatalogDatabase>, playlistId: string, userId: string): Promise<PlaylistRow> {
  const row = await trx.selectFrom("playlists").selectAll().where("id", "=", playlistId).forUpdate().executeTakeFirst();
  return owned(row, playlistId, userId);
}

function owned(row: PlaylistRow | undefined, playlistId: string, userId: string): PlaylistRow {
  if (!row || !readable(row, userId)) throw playlistNotFound(playlistId);
  if (row.owner_id !== userId) throw new KinoError("permission_denied", `playlist ${playlistId} belongs to someone else`);
  return row;
}

async function touch(trx: Transaction<CatalogDatabase>, playlistId: string, itemDelta: number): Promise<PlaylistRow> {
  return trx
    .updateTable("playlists")
    .set((eb) => ({ item_count: eb("item_count", "+", itemDelta), updated_at: new Date() }))
    .where("id", "=", playlistId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function playlistHandlers({ db, videos }: EngagementDependencies): Pick<ServiceHandlers<typeof EngagementService>, PlaylistMethods> {
  const find = (id: string) => db.selectFrom("playlists").selectAll().where("id", "=", id).executeTakeFirst();

  return {
    async createPlaylist(request, context) {
      const ownerId = requireUser(context);
      const row = await db
        .insertInto("playlists")
        .values({
          id: newVideoId(),
          owner_id: ownerId,
          title: validateTitle(request.title),
          description: validateDescription(request.description),
          visibility: request.visibility === Visibility.UNSPECIFIED ? "PRIVATE" : visibilityFromProto(request.visibility),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { playlist: playlistMessage(row) };
    },

    async getPlaylist(request, context) {
      const id = requireEngagementId(request.playlistId, "playlist_id");
      const row = await find(id);
      if (!row || !readable(row, context.callerId)) throw playlistNotFound(id);
      return { playlist: playlistMessage(row) };
    },

    async updatePlaylist(request, context) {
      const userId = requireUser(context);
      const id = requireEngagementId(request.playlistId, "playlist_id");
      const changes = {
        ...(request.title !== undefined ? { title: validateTitle(request.title) } : {}),
        ...(request.description !== undefined ? { description: validateDescription(request.description) } : {}),
        ...(request.visibility !== undefined ? { visibility: visibilityFromProto(request.visibility) } : {}),
      };
      owned(await find(id), id, userId);
      const row = await db.updateTable("playlists").set({ ...changes, updated_at: new Date() }).where("id", "=", id).returningAll().executeTakeFirst();
      if (!row) throw playlistNotFound(id);
      return { playlist: playlistMessage(row) };
    },

    async deletePlaylist(request, context) {
      const userId = requireUser(context);
      const id = requireEngagementId(request.playlistId, "playlist_id");
      owned(await find(id), id, userId);
      await db.deleteFrom("playlists").where("id", "=", id).execute();
      return {};
    },

    async listPlaylists(request, context) {
      const ownerId = validateOwnerFilter(request.ownerId) || requireUser(context);
      const limit = validatePageSize(request.pageSize);
      const mine = ownerId === context.callerId;
      const listing = `playlists:${ownerId}:${mine ? "all" : "public"}`;
      const after = decodeCursor(request.pageToken, listing, [sequenceKey]);
      let query = db.selectFrom("playlists").selectAll().where("owner_id", "=", ownerId);
      if (!mine) query = query.where("visibility", "=", "PUBLIC");
      if (after) query = query.where("seq", "<", after[0]!);
      const rows = await query.orderBy("seq", "desc").limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { playlists: page.map(playlistMessage), nextPageToken: rows.length > limit ? encodeCursor(listing, [page.at(-1)!.seq]) : "" };
    },

    async addPlaylistItem(request, context) {
      const userId = requireUser(context);
      const playlistId = requireEngagementId(request.playlistId, "playlist_id");
      const video = await visibleVideo(videos, request.videoId, userId);
      return db.transaction().execute(async (trx) => {
        const playlist = await lockOwned(trx, playlistId, userId);
        const existing = await trx.selectFrom("playlist_items").selectAll().where("playlist_id", "=", playlistId).where("video_id", "=", video.id).executeTakeFirst();
        if (existing) {
          return { item: { videoId: video.id, position: existing.position, addTime: timestampFromDate(existing.added_at), video: videoMessage(video) }, playlist: playlistMessage(playlist) };
        }
        if (playlist.item_count >= maxPlaylistItems) {
          throw new KinoError("failed_precondition", `playlist ${playlistId} holds ${maxPlaylistItems} items, the most a playlist may: remove some first`);
        }
        const item = await trx
          .insertInto("playlist_items")
          .values({ playlist_id: playlistId, video_id: video.id, position: playlist.item_count })
          .returningAll()
          .executeTakeFirstOrThrow();
        const updated = await touch(trx, playlistId, 1);
        return { item: { videoId: video.id, position: item.position, addTime: timestampFromDate(item.added_at), video: videoMessage(video) }, playlist: playlistMessage(updated) };
      });
    },

    async removePlaylistItem(request, context) {
      const userId = requireUser(context);
      const playlistId = requireEngagementId(request.playlistId, "playlist_id");
      // No visibility check of the video: its owner may have made it private since, and it must still come out.
      const videoId = requireId(request.videoId, "video_id");
      return db.transaction().execute(async (trx) => {
        await lockOwned(trx, playlistId, userId);
        const removed = await trx.deleteFrom("playlist_items").where("playlist_id", "=", playlistId).where("video_id", "=", videoId).returning("position").executeTakeFirst();
        if (!removed) throw notInPlaylist(videoId, playlistId);
        await trx
          .updateTable("playlist_items")
          .set((eb) => ({ position: eb("position", "-", 1) }))
          .where("playlist_id", "=", playlistId)
          .where("position", ">", removed.position)
          .execute();
        return { playlist: playlistMessage(await touch(trx, playlistId, -1)) };
      });
    },

    async movePlaylistItem(request, context) {
      const userId = requireUser(context);
      const playlistId = requireEngagementId(request.playlistId, "playlist_id");
      const videoId = requireId(request.videoId, "video_id");
      if (request.position < 0) throw new KinoError("invalid_argument", `position must be at least 0, got ${request.position}`);
      const moved = await db.transaction().execute(async (trx) => {
        const playlist = await lockOwned(trx, playlistId, userId);
        const item = await trx.selectFrom("playlist_items").selectAll().where("playlist_id", "=", playlistId).where("video_id", "=", videoId).executeTakeFirst();
        if (!item) throw notInPlaylist(videoId, playlistId);
        const from = item.position;
        const to = Math.min(request.position, playlist.item_count - 1);
        if (to !== from) {
          // Close the gap it leaves and open one where it goes, in one statement; the constraint is checked at commit.
          const [low, high, shift] = to < from ? [to, from - 1, 1] : [from + 1, to, -1];
          await trx
            .updateTable("playlist_items")
            .set((eb) => ({ position: eb("position", "+", shift) }))
            .where("playlist_id", "=", playlistId)
            .where("position", ">=", low)
            .where("position", "<=", high)
            .execute();
          await trx.updateTable("playlist_items").set({ position: to }).where("playlist_id", "=", playlistId).where("video_id", "=", videoId).execute();
          await touch(trx, playlistId, 0);
        }
        return { ...item, position: to };
      });
      const video = await videos.find(videoId);
      return {
        item: { videoId, position: moved.position, addTime: timestampFromDate(moved.added_at), video: video && isVisible(video, context.callerId) ? videoMessage(video) : undefined },
      };
    },

    async listPlaylistItems(request, context) {
      const playlistId = requireEngagementId(request.playlistId, "playlist_id");
      const limit = validatePageSize(request.pageSize);
      const playlist = await find(playlistId);
      if (!playlist || !readable(playlist, context.callerId)) throw playlistNotFound(playlistId);
      const listing = `playlist:${playlistId}`;
      const after = decodeCursor(request.pageToken, listing, [sequenceKey]);
      let query = db
        .selectFrom("playlist_items as i")
        .innerJoin("videos as v", "v.id", "i.video_id")
        .selectAll("v")
        .select(["i.position", "i.added_at"])
        .where("i.playlist_id", "=", playlistId)
        .where(visibleVideoSql("v", context.callerId));
      if (after) query = query.where("i.position", ">", Number(after[0]));
      const rows = await query.orderBy("i.position").limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map(({ position, added_at, ...video }) => ({ videoId: video.id, position, addTime: timestampFromDate(added_at), video: videoMessage(video) })),
        nextPageToken: rows.length > limit ? encodeCursor(listing, [String(page.at(-1)!.position)]) : "",
      };
    },
  };
}
