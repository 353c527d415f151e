import { createDatabase, migrateToLatest } from "@kino/database";
import { createLogger, loadConfigOrExit } from "@kino/platform";
import type { Kysely } from "kysely";
import { authConfigSchema } from "./config.ts";
import { authMigrations } from "./migrations/index.ts";
import type { AuthDatabase } from "./schema.ts";
import { createKeySealer } from "./signing-key-sealer.ts";
import { rotateSigningKey } from "./signing-keys.ts";

// `node --import tsx services/auth/src/rotate-signing-key-main.ts`: a new key signs from now on; prints its kid.
const config = loadConfigOrExit(authConfigSchema);
const logger = createLogger({ name: "auth-rotate-key", level: config.logLevel });
const db = createDatabase<AuthDatabase>({ url: config.databaseUrl });
try {
  await migrateToLatest(db as Kysely<unknown>, authMigrations, logger);
  const kid = await rotateSigningKey(db, new Date(), createKeySealer(config.signingKeySecret));
  logger.info({ kid }, "signing key rotated; older keys verify until their last token expires");
  process.stdout.write(`${kid}\n`);
} catch (error) {
  logger.fatal({ err: error }, "rotation failed");
  process.exitCode = 1;
} finally {
  await db.destroy();
}
