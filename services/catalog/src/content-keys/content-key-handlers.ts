import type { ServiceHandlers } from "@kino/grpc";
import { databaseError } from "@kino/database";
import { KinoError } from "@kino/platform";
import type { ContentKeyService } from "@kino/proto/catalog/v1";
import type { Kysely } from "kysely";
import type { CatalogDatabase } from "../schema.ts";
import { requireId } from "../validation.ts";
import { notFound, type VideoRepository } from "../video-repository.ts";
import { unwrapContentKey } from "./content-key-wrap.ts";
import type { MasterKeyRing } from "./master-keys.ts";

/**
 * kino.catalog.v1.ContentKeyService: a protected video's key, unwrapped, for
 * a transcoder (to encrypt) or the gateway (to answer a tokened key request);
 * caller-rules.ts admits only those identities, acting for no user. Keys are
 * never logged: the log line says which video and master key, nothing more.
 */
export function contentKeyHandlers(db: Kysely<CatalogDatabase>, videos: VideoRepository, masterKeys: MasterKeyRing | undefined): ServiceHandlers<typeof ContentKeyService> {
  return {
    async getContentKey(request, context) {
      const id = requireId(request.videoId, "video_id");
      const row = await videos.find(id);
      if (!row || row.status === "DELETED") throw notFound(id);
      if (row.content_protection !== "AES_128") throw new KinoError("failed_precondition", `video ${id} is not protected: it has no content key`);
      if (!masterKeys) throw new KinoError("failed_precondition", "this catalog holds no master key (KINO_MEDIA_MASTER_KEY is not set): it cannot unwrap content keys");
      let stored;
      try {
        stored = await db.selectFrom("video_content_keys").select(["master_key_id", "wrapped_key"]).where("video_id", "=", id).executeTakeFirst();
      } catch (error) {
        throw databaseError(error);
      }
      if (!stored) throw new KinoError("failed_precondition", `protected video ${id} has no stored key`);
      const key = unwrapContentKey(masterKeys, id, { masterKeyId: stored.master_key_id, wrapped: Buffer.from(stored.wrapped_key) });
      context.logger.debug({ videoId: id, masterKeyId: stored.master_key_id, principal: context.principal }, "content key handed out");
      return { key, masterKeyId: stored.master_key_id };
    },
  };
}
