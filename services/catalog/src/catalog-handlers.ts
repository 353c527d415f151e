import { CatalogService, VideoStatus } from "@kino/proto/catalog/v1";
import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import { listCaptionsHandler } from "./caption-handlers.ts";
import { newContentKey, wrapContentKey, type WrappedContentKey } from "./content-keys/content-key-wrap.ts";
import { initialContentProtection, type ContentProtectionName } from "./content-keys/content-protection.ts";
import type { MasterKeyRing } from "./content-keys/master-keys.ts";
import { initialDownloadState, requestDownloadHandler } from "./download-handlers.ts";
import { decodePageToken, encodePageToken } from "./page-token.ts";
import type { CatalogDatabase, VideoRow } from "./schema.ts";
import type { Kysely } from "kysely";
import { videoEventEntry } from "./outbox-entries.ts";
import { applyTransition } from "./video-transitions.ts";
import type { VideoChangeFeed } from "./video-change-feed.ts";
import { requireId, validateDescription, validateOwnerFilter, validatePageSize, validateTitle } from "./validation.ts";
import { newVideoId } from "./video-id.ts";
import { canonicalLanguage, normaliseTags, validateCategoryName, validateCategorySlug } from "./video-labels.ts";
import { statusFromProto, videoMessage } from "./video-message.ts";
import { notFound, type VideoRepository } from "./video-repository.ts";
import { initialVisibility, visibilityFromProto } from "./visibility.ts";
import { isVisible } from "./visibility-rules.ts";

const terminalStatuses = new Set(["READY", "FAILED", "DELETED"]);

function requireCaller(context: CallContext): string {
  if (!context.callerId) throw new KinoError("unauthenticated", "this call needs an authenticated caller");
  return context.callerId;
}

/** Loads a video the caller may change: theirs and not deleted; one they may not even see is not found. */
async function findOwned(videos: VideoRepository, id: string, callerId: string): Promise<VideoRow> {
  const row = await videos.find(id);
  if (!row || !isVisible(row, callerId)) throw notFound(id);
  if (row.owner_id !== callerId) throw new KinoError("permission_denied", `video ${id} belongs to someone else`);
  return row;
}

function requireAdmin(context: CallContext): void {
  requireCaller(context);
  // The gateway signs the role it read from the auth service into the call's assertion.
  if (context.callerRole !== "admin") throw new KinoError("permission_denied", "only admins manage categories");
}

/** A category a video may be put in: one that exists, or none. */
async function knownCategory(videos: VideoRepository, raw: string): Promise<string> {
  if (raw === "") return "";
  const slug = validateCategorySlug(raw);
  if (!(await videos.categoryExists(slug))) throw new KinoError("invalid_argument", `category ${slug} does not exist: see ListCategories`);
  return slug;
}

/** A new protected video's key, made and wrapped at once; undefined for an unprotected one. */
function protectedVideoKey(protection: ContentProtectionName, videoId: string, masterKeys: MasterKeyRing | undefined): WrappedContentKey | undefined {
  if (protection === "NONE") return undefined;
  if (!masterKeys) throw new KinoError("failed_precondition", "content protection is not available: this catalog has no master key (KINO_MEDIA_MASTER_KEY)");
  return wrapContentKey(masterKeys, videoId, newContentKey());
}

export function catalogHandlers(
  db: Kysely<CatalogDatabase>,
  videos: VideoRepository,
  changes: VideoChangeFeed,
  /** KINO_MEDIA_MASTER_KEY; without it CreateVideo refuses content protection. */
  masterKeys?: MasterKeyRing,
): ServiceHandlers<typeof CatalogService> {
  return {
    async createVideo(request, context) {
      const ownerId = requireCaller(context);
      const id = newVideoId();
      const protection = initialContentProtection(request.contentProtection);
      const downloadState = initialDownloadState(request.download, protection !== "NONE");
      const contentKey = protectedVideoKey(protection, id, masterKeys);
      const row = await videos.insert(
        {
          id,
          ownerId,
          title: validateTitle(request.title),
          description: validateDescription(request.description),
          visibility: initialVisibility(request.visibility),
          tags: normaliseTags(request.tags),
          category: await knownCategory(videos, request.category),
          language: canonicalLanguage(request.language),
          ...(contentKey ? { contentKey } : {}),
          downloadState,
        },
        (created) => [videoEventEntry(created, "created")],
      );
      context.logger.info({ videoId: row.id, visibility: row.visibility, contentProtection: row.content_protection }, "video created");
      return { video: videoMessage(row) };
    },

    async getVideo(request, context) {
      const id = requireId(request.id);
      const row = await videos.find(id);
      if (!row || !isVisible(row, context.callerId)) throw notFound(id);
      return { video: videoMessage(row) };
    },

    async listVideos(request, context) {
      const limit = validatePageSize(request.pageSize);
      const ownerId = validateOwnerFilter(request.ownerId);
      const status = statusFromProto(request.status);
      if (request.status !== VideoStatus.UNSPECIFIED && status === "") {
        throw new KinoError("invalid_argument", `status ${request.status} is not a known video status`);
      }
      let afterSeq: string | undefined;
      if (request.pageToken !== "") {
        const cursor = decodePageToken(request.pageToken);
        if (cursor.ownerId !== ownerId || cursor.status !== status) {
          throw new KinoError("invalid_argument", "page_token was issued for different filters");
        }
        afterSeq = cursor.afterSeq;
      }
      const rows = await videos.list({ ownerId, status, afterSeq, limit: limit + 1, viewerId: context.callerId });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        videos: page.map(videoMessage),
        nextPageToken:
          rows.length > limit && last ? encodePageToken({ afterSeq: last.seq, ownerId, status }) : "",
      };
    },

    async updateVideo(request, context) {
      const callerId = requireCaller(context);
      const id = requireId(request.id);
      const changes = {
        ...(request.title !== undefined ? { title: validateTitle(request.title) } : {}),
        ...(request.description !== undefined ? { description: validateDescription(request.description) } : {}),
        ...(request.visibility !== undefined ? { visibility: visibilityFromProto(request.visibility) } : {}),
        ...(request.tags !== undefined ? { tags: normaliseTags(request.tags.tags) } : {}),
        ...(request.category !== undefined ? { category: await knownCategory(videos, request.category) } : {}),
        ...(request.language !== undefined ? { language: canonicalLanguage(request.language) } : {}),
      };
      const current = await findOwned(videos, id, callerId);
      const expected = request.expectedVersion === 0n ? undefined : request.expectedVersion;
      const updated = await videos.updateMetadata(id, changes, expected, (row) => [videoEventEntry(row, "updated")]);
      if (updated) {
        if (updated.visibility !== current.visibility) {
          context.logger.info({ videoId: id, from: current.visibility, to: updated.visibility }, "video visibility changed");
        }
        return { video: videoMessage(updated) };
      }
      const latest = await videos.find(id);
      if (!latest || latest.status === "DELETED") throw notFound(id);
      throw new KinoError(
        "conflict",
        `video ${id} was changed concurrently: expected version ${expected ?? current.version}, now ${latest.version}; fetch it and retry`,
      );
    },

    async deleteVideo(request, context) {
      const callerId = requireCaller(context);
      const id = requireId(request.id);
      await findOwned(videos, id, callerId);
      const outcome = await applyTransition(db, id, {
        from: ["UPLOADING", "UPLOADED", "PROCESSING", "READY", "FAILED"],
        set: { status: "DELETED", progress: null },
        announce: (row) => [videoEventEntry(row, "deleted")],
      });
      if (!outcome?.changed) throw notFound(id);
      context.logger.info({ videoId: id }, "video deleted");
      return {};
    },

    async getUsage(_request, context) {
      const ownerId = requireCaller(context);
      const now = new Date();
      const usage = await videos.usage(ownerId, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())));
      return { storedBytes: usage.storedBytes, videosCreatedToday: usage.createdToday };
    },

    async listCategories() {
      return { categories: await videos.categories() };
    },

    async putCategory(request, context) {
      requireAdmin(context);
      const slug = validateCategorySlug(request.category?.slug ?? "", "category.slug");
      const category = await videos.putCategory(slug, validateCategoryName(request.category?.name ?? ""));
      context.logger.info({ slug }, "category saved");
      return { category };
    },

    async deleteCategory(request, context) {
      requireAdmin(context);
      const slug = validateCategorySlug(request.slug, "slug");
      if (!(await videos.deleteCategory(slug, (row) => [videoEventEntry(row, "updated")]))) {
        throw new KinoError("not_found", `category ${slug} not found`);
      }
      context.logger.info({ slug }, "category deleted");
      return {};
    },

    async *watchVideo(request, context) {
      const id = requireId(request.id);
      const changed = changes.subscribe(id, context.signal);
      try {
        let last = "";
        for (;;) {
          const row = await videos.find(id);
          if (!row || !isVisible(row, context.callerId)) {
            if (last === "") throw notFound(id);
            if (row?.status === "DELETED") yield { video: videoMessage(row) };
            return;
          }
          const snapshot = `${row.version}:${JSON.stringify(row.progress)}`;
          if (snapshot !== last) {
            last = snapshot;
            yield { video: videoMessage(row) };
          }
          if (terminalStatuses.has(row.status)) return;
          await changed.next();
          if (context.signal.aborted) return;
        }
      } finally {
        changed.close();
      }
    },

    listCaptions: listCaptionsHandler(db, videos),
    requestDownload: requestDownloadHandler(db, videos),
  };
}
