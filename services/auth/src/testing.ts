import { testServiceCredentials } from "@kino/grpc/testing";
import { createDatabase } from "@kino/database";
import { createLogger, type Logger } from "@kino/platform";
import { createTestDatabase } from "@kino/testkit";
import type { Kysely } from "kysely";
import { startAuthService, type RunningAuth } from "./auth-service.ts";
import type { Clock } from "./clock.ts";
import type { AuthConfig } from "./config.ts";
import type { AuthDatabase } from "./schema.ts";
import { createKeySealer } from "./signing-key-sealer.ts";
import { rotateSigningKey } from "./signing-keys.ts";

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
}

export interface StartedTestAuth {
  auth: RunningAuth;
  /** host:port of its gRPC server. */
  address: string;
  databaseUrl: string;
  /** Rotates the signing key as the command does, at `now`. Returns the new kid. */
  rotateSigningKey(now?: Date): Promise<string>;
  /** Stops the service; drops the database if it made it. */
  close(): Promise<void>;
}

/** For tests: a real auth service on a free port over the test PostgreSQL (KINO_TEST_POSTGRES_URL). */
export async function startTestAuth(options: TestAuthOptions): Promise<StartedTestAuth> {
  const database = options.databaseUrl ? undefined : await createTestDatabase("kino_auth");
  const databaseUrl = options.databaseUrl ?? database!.url;
  const auth = await startAuthService(
    {
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
      logLevel: "silent",
      shutdownTimeoutMs: 3000,
    },
    options.logger ?? createLogger({ name: "auth", level: "silent" }),
    { clock: options.clock },
  );
  return {
    auth,
    address: `127.0.0.1:${auth.grpcPort}`,
    databaseUrl,
    async rotateSigningKey(now = new Date()) {
      const db: Kysely<AuthDatabase> = createDatabase<AuthDatabase>({ url: databaseUrl });
      try {
        return await rotateSigningKey(db, now, createKeySealer(options.signingKeySecret ?? ""));
      } finally {
        await db.destroy();
      }
    },
    async close() {
      await auth.close();
      await database?.drop();
    },
  };
}
