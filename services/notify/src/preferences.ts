import type { Kysely } from "kysely";
import type { NotifyDatabase } from "./schema.ts";

export interface Preferences {
  emailVideoReady: boolean;
  emailVideoFailed: boolean;
}

/** Everything is on until the user turns it off. */
export const defaultPreferences: Preferences = { emailVideoReady: true, emailVideoFailed: true };

export async function preferencesOf(db: Kysely<NotifyDatabase>, userId: string): Promise<Preferences> {
  const row = await db.selectFrom("notification_preferences").selectAll().where("user_id", "=", userId).executeTakeFirst();
  return row ? { emailVideoReady: row.email_video_ready, emailVideoFailed: row.email_video_failed } : defaultPreferences;
}

export async function setPreferences(db: Kysely<NotifyDatabase>, userId: string, preferences: Preferences, now: Date): Promise<Preferences> {
  const values = { email_video_ready: preferences.emailVideoReady, email_video_failed: preferences.emailVideoFailed, updated_at: now };
  await db
    .insertInto("notification_preferences")
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
    .execute();
  return preferences;
}
