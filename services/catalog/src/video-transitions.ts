import { databaseError } from "@kino/database";
import type { Expression, ExpressionBuilder, Kysely, SqlBool, UpdateObject } from "kysely";
import type { OutboxEntry } from "./outbox-entries.ts";
import type { CatalogDatabase, VideoRow, VideoStatusName } from "./schema.ts";
import { isVideoId } from "@kino/platform";

export interface TransitionOutcome {
  /** The video after the call. */
  row: VideoRow;
  /** False when the video was not in a status the transition starts from. */
  changed: boolean;
}

export interface Transition {
  from: VideoStatusName[];
  /** Values, or expressions over the row as it was (e.g. a CASE on another column). */
  set: UpdateObject<CatalogDatabase, "videos">;
  /** A further condition on the row (beyond its status) for the change to apply. */
  onlyIf?: (eb: ExpressionBuilder<CatalogDatabase, "videos">) => Expression<SqlBool>;
  /** Jobs and events to publish when, and only when, the change commits. */
  announce?: (row: VideoRow) => OutboxEntry[];
}

/**
 * Applies a status change (which bumps the version) and writes its outbox
 * rows in one transaction.
 * Returns undefined for an unknown video; an unchanged outcome lets callers
 * decide whether the call was a harmless repeat or out of order.
 */
export async function applyTransition(
  db: Kysely<CatalogDatabase>,
  id: string,
  transition: Transition,
): Promise<TransitionOutcome | undefined> {
  if (!isVideoId(id)) return undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("videos")
        .set((eb) => ({ ...transition.set, version: eb("version", "+", "1"), updated_at: new Date() }))
        .where("id", "=", id)
        .where("status", "in", transition.from)
        .$if(transition.onlyIf !== undefined, (query) => query.where(transition.onlyIf!))
        .returningAll()
        .executeTakeFirst();
      if (updated) {
        const entries = transition.announce?.(updated) ?? [];
        if (entries.length > 0) await trx.insertInto("outbox").values(entries).execute();
        return { row: updated, changed: true };
      }
      const current = await trx.selectFrom("videos").selectAll().where("id", "=", id).executeTakeFirst();
      return current ? { row: current, changed: false } : undefined;
    });
  } catch (error) {
    throw databaseError(error);
  }
}
