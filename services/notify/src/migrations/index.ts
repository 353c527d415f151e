import type { MigrationSet } from "@kino/database";
import * as notify from "./0001-notify.ts";
import * as commentNotifications from "./0002-comment-notifications.ts";

/** Every notify migration, in the order applied. Never edit one that has shipped; add the next. */
export const notifyMigrations: MigrationSet = {
  "0001-notify": notify,
  "0002-comment-notifications": commentNotifications,
};
