import type { MigrationSet } from "@kino/database";
import * as accounts from "./0001-accounts.ts";
import * as rolesTiersSessionsApiKeys from "./0002-roles-tiers-sessions-api-keys.ts";

/** Every auth migration, in the order applied. Never edit one that has shipped; add the next. */
export const authMigrations: MigrationSet = {
  "0001-accounts": accounts,
  "0002-roles-tiers-sessions-api-keys": rolesTiersSessionsApiKeys,
};
