import { testServiceCredentials } from "@kino/grpc/testing";
import { randomBytes } from "node:crypto";
import { createDatabase } from "@kino/database";
import { createLogger, type Logger } from "@kino/platform";
import { createTestDatabase, requireTestEnv } from "@kino/testkit";
import type { Kysely } from "kysely";
import { startAuthService, type RunningAuth } from "./auth-service.ts";
import type { Clock } from "./clock.ts";
import { authServiceConfigSchema, type AuthConfig, type AuthServiceConfig } from "./config.ts";
import type { AccountRole, AuthDatabase } from "./schema.ts";
import { createKeySealer } from "./signing-key-sealer.ts";
import { rotateSigningKey } from "./signing-keys.ts";
import type { ThrottleSettings } from "./throttles.ts";
import { defaultTiers, type Tiers } from "./tiers.ts";
import { UserRepository } from "./user-repository.ts";

export type TestThrottles = ThrottleSettings;

/** The production defaults; tests of throttles pass short windows instead. */
export const defaultTestThrottles: TestThrottles = {
  passwordFailuresPerEmail: authServiceConfigSchema.passwordFailuresPerEmail.parse(undefined),
  signInFailuresPerAddress: authServiceConfigSchema.signInFailuresPerAddress.parse(undefined),
  codeMailsPerEmail: authServiceConfigSchema.codeMailsPerEmail.parse(undefined),
  codeMailsPerAddress: authServiceConfigSchema.codeMailsPerAddress.parse(undefined),
};

export const testIssuer = "kino-auth-test";
export const testAudience = "kino-test";

export interface TestAuthOptions {
  /** Where mail goes: a MailCatcher's url. */
  smtpUrl: string;
  /** An existing database (e.g. to restart over the same accounts); a fresh one of its own otherwise (dropped on close). */
  databaseUrl?: string;
  clock?: Clock;
  logger?: Logger;
  /** KINO_AUTH_SIGNING_KEY_SECRET; empty (keys unencrypted) by default. */
  signingKeySecret?: string;
  /** argon2id parameters; small ones by default so tests stay fast. */
  argon2?: Partial<Pick<AuthConfig, "argon2MemoryKib" | "argon2TimeCost" | "argon2Parallelism">>;
  /** Throttle limits, each defaulting to the production one. */
  throttles?: Partial<TestThrottles>;
  /** KINO_AUTH_REDIS_URL; the test Redis (KINO_TEST_REDIS_URL) by default. */
  redisUrl?: string;
  /** Redis key prefix; a random one per service by default, so test files never share counts. */
  redisKeyPrefix?: string;
  tiers?: Tiers;
}

export interface StartedTestAuth {
  auth: RunningAuth;
  /** host:port of its gRPC server. */
  address: string;
  databaseUrl: string;
  redisKeyPrefix: string;
  /** Sets an account's role straight in the database, as an operator (or the bootstrap command) would. */
  setRole(userId: string, role: AccountRole): Promise<void>;
  /** Rotates the signing key as the command does, at `now`. Returns the new kid. */
  rotateSigningKey(now?: Date): Promise<string>;
  /** Stops the service; drops the database if it made it. */
  close(): Promise<void>;
}

/** For tests: a real auth service on a free port over the test PostgreSQL (KINO_TEST_POSTGRES_URL). */
export async function startTestAuth(options: TestAuthOptions): Promise<StartedTestAuth> {
  const database = options.databaseUrl ? undefined : await createTestDatabase("kino_auth");
  const databaseUrl = options.databaseUrl ?? database!.url;
  const redisKeyPrefix = options.redisKeyPrefix ?? `kino-test:auth:${randomBytes(6).toString("hex")}`;
  const config: AuthServiceConfig = {
    databaseUrl,
    listen: "127.0.0.1:0",
    opsListen: "127.0.0.1:0",
    smtpUrl: options.smtpUrl,
    mailFrom: "Kino test <no-reply@kino.test>",
    issuer: testIssuer,
    audience: testAudience,
    refreshTokenDays: 30,
    argon2MemoryKib: options.argon2?.argon2MemoryKib ?? 8192,
    argon2TimeCost: options.argon2?.argon2TimeCost ?? 1,
    argon2Parallelism: options.argon2?.argon2Parallelism ?? 1,
    signingKeySecret: options.signingKeySecret ?? "",
    trustedServices: testServiceCredentials().trust,
    redisUrl: options.redisUrl ?? requireTestEnv("KINO_TEST_REDIS_URL"),
    redisKeyPrefix,
    ...defaultTestThrottles,
    ...options.throttles,
    tiers: options.tiers ?? defaultTiers,
    logLevel: "silent",
    shutdownTimeoutMs: 3000,
  };
  const auth = await startAuthService(config, options.logger ?? createLogger({ name: "auth", level: "silent" }), { clock: options.clock });
  const withDatabase = async <T>(work: (db: Kysely<AuthDatabase>) => Promise<T>): Promise<T> => {
    const db: Kysely<AuthDatabase> = createDatabase<AuthDatabase>({ url: databaseUrl });
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  };
  return {
    auth,
    address: `127.0.0.1:${auth.grpcPort}`,
    databaseUrl,
    redisKeyPrefix,
    async setRole(userId, role) {
      const updated = await withDatabase((db) => new UserRepository(db).setRole(userId, role));
      if (!updated) throw new Error(`no account ${userId}`);
    },
    rotateSigningKey: (now = new Date()) => withDatabase((db) => rotateSigningKey(db, now, createKeySealer(options.signingKeySecret ?? ""))),
    async close() {
      await auth.close();
      await database?.drop();
    },
  };
}
