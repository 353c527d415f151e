import type { MigrationSet } from "@kino/database";
import * as accounts from "./0001-accounts.ts";

/** Every auth migration, in the order applied. Never edit one that has shipped; add the next. */
export const authMigrations: MigrationSet = {
  "0001-accounts": accounts,
};
