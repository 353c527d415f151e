import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { databaseError } from "@kino/database";
import type { CaptionSchema } from "@kino/proto/catalog/v1";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { CatalogDatabase, VideoCaptionsTable } from "./schema.ts";

type CaptionRow = Selectable<VideoCaptionsTable>;

export function captionMessage(row: CaptionRow): MessageInitShape<typeof CaptionSchema> {
  return {
    language: row.language,
    label: row.label,
    version: BigInt(row.version),
    createTime: timestampFromDate(row.created_at),
    updateTime: timestampFromDate(row.updated_at),
  };
}

/** A video's caption tracks, by language. */
export async function captionsOf(db: Kysely<CatalogDatabase> | Transaction<CatalogDatabase>, videoId: string): Promise<CaptionRow[]> {
  try {
    return await db.selectFrom("video_captions").selectAll().where("video_id", "=", videoId).orderBy("language").execute();
  } catch (error) {
    throw databaseError(error);
  }
}
