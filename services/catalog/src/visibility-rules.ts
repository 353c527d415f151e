import { sql, type RawBuilder } from "kysely";
import type { VideoRow } from "./schema.ts";

/**
 * Who sees a video: its owner, in any status but DELETED; anyone else only
 * once it is READY and PUBLIC or UNLISTED (an unlisted video is reachable by
 * id, never listed: see VideoRepository.list). To everyone who may not see a
 * video, it does not exist: callers answer NOT_FOUND, never
 * PERMISSION_DENIED, so a private video's existence does not leak.
 */
export function isVisible(row: VideoRow, callerId: string | undefined): boolean {
  if (row.status === "DELETED") return false;
  if (row.owner_id === callerId) return true;
  return row.status === "READY" && row.visibility !== "PRIVATE";
}

/**
 * isVisible as a condition on a query that reads `videos` under `table`
 * (its name or alias), for listings that join videos: the same rule, so a
 * listing never shows what GetVideo would call NOT_FOUND.
 */
export function visibleVideoSql(table: string, callerId: string | undefined): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  const othersMaySee = sql<boolean>`(${column("status")} = 'READY' and ${column("visibility")} <> 'PRIVATE')`;
  if (!callerId) return othersMaySee;
  return sql<boolean>`(${column("status")} <> 'DELETED' and (${column("owner_id")} = ${callerId} or ${othersMaySee}))`;
}
