import { createDatabase, migrateToLatest } from "@kino/database";
import { createLogger, loadConfigOrExit } from "@kino/platform";
import type { Kysely } from "kysely";
import { bootstrapAdmin } from "./bootstrap-admin.ts";
import { bootstrapAdminConfigSchema } from "./bootstrap-config.ts";
import { authMigrations } from "./migrations/index.ts";
import { createPasswordHasher } from "./password-hasher.ts";
import type { AuthDatabase } from "./schema.ts";

// `node --import tsx services/auth/src/bootstrap-admin-main.ts` with the service's settings plus
// KINO_BOOTSTRAP_EMAIL and KINO_BOOTSTRAP_PASSWORD: makes (or promotes) a verified admin and a new
// API key with every scope, and prints one line, {"userId":"…","apiKey":"kino_…"}, for `kino up`.
const config = loadConfigOrExit(bootstrapAdminConfigSchema);
// Logs go to stderr: stdout carries the one line a program reads.
const logger = createLogger({ name: "auth-bootstrap-admin", level: config.logLevel, destination: process.stderr });
const db = createDatabase<AuthDatabase>({ url: config.databaseUrl });
try {
  await migrateToLatest(db as Kysely<unknown>, authMigrations, logger);
  const hasher = createPasswordHasher({ memoryKib: config.argon2MemoryKib, timeCost: config.argon2TimeCost, parallelism: config.argon2Parallelism });
  const admin = await bootstrapAdmin(db, { email: config.email, password: config.password }, hasher, new Date());
  logger.info({ userId: admin.userId, keyId: admin.keyId, created: admin.created }, admin.created ? "admin created with a new API key" : "admin ready with a new API key");
  process.stdout.write(`${JSON.stringify({ userId: admin.userId, apiKey: admin.apiKey })}\n`);
} catch (error) {
  logger.fatal({ err: error }, "bootstrap failed");
  process.exitCode = 1;
} finally {
  await db.destroy();
}
