import { createDatabase, migrateToLatest } from "@kino/database";
import { createAssertionVerifier, createRetryAfterNotes, followDependencyHealth, grpcImplementation, type GrpcServer, principals, startGrpcServer } from "@kino/grpc";
import { createMetricsRegistry, splitListen, startOpsServer, type Logger } from "@kino/platform";
import { AuthInternalService, AuthService } from "@kino/proto/auth/v1";
import type { Kysely } from "kysely";
import { ApiKeyRepository } from "./api-key-repository.ts";
import { authHandlers, authInternalHandlers, type AuthDependencies } from "./auth-handlers.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { AuthServiceConfig } from "./config.ts";
import { EmailCodes } from "./email-codes.ts";
import { createMailer } from "./mailer.ts";
import { authMigrations } from "./migrations/index.ts";
import { createPasswordHasher } from "./password-hasher.ts";
import { RefreshTokens } from "./refresh-tokens.ts";
import type { AuthDatabase } from "./schema.ts";
import { Sessions } from "./sessions.ts";
import { createKeySealer } from "./signing-key-sealer.ts";
import { SigningKeys, ensureSigningKey } from "./signing-keys.ts";
import { connectThrottleRedis } from "./throttle-redis.ts";
import { Throttles } from "./throttles.ts";
import { UserRepository } from "./user-repository.ts";

export interface RunningAuth {
  grpcPort: number;
  opsPort: number;
  /** Stop accepting, drain in-flight calls, finish sending mail, close connections. */
  close(): Promise<void>;
}

export interface AuthServiceOptions {
  clock?: Clock;
}

export async function startAuthService(config: AuthServiceConfig, logger: Logger, options: AuthServiceOptions = {}): Promise<RunningAuth> {
  const clock = options.clock ?? systemClock;
  const db: Kysely<AuthDatabase> = createDatabase<AuthDatabase>({ url: config.databaseUrl });
  const sealer = createKeySealer(config.signingKeySecret);
  if (config.signingKeySecret === "") logger.warn("KINO_AUTH_SIGNING_KEY_SECRET is not set: private signing keys are stored unencrypted");
  const keys = new SigningKeys(db, sealer);
  let kid: string;
  try {
    await migrateToLatest(db as Kysely<unknown>, authMigrations, logger);
    await ensureSigningKey(db, clock(), sealer);
    // Opens the current key now, so a wrong or missing secret stops the start instead of every sign-in.
    ({ kid } = await keys.current());
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const users = new UserRepository(db);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const redis = await connectThrottleRedis(config.redisUrl, logger);

  const deps: AuthDependencies = {
    users,
    codes: new EmailCodes(db),
    refreshTokens: new RefreshTokens(db, config.refreshTokenDays * 86_400_000),
    sessions: new Sessions(db),
    apiKeys: new ApiKeyRepository(db),
    keys,
    hasher: createPasswordHasher({
      memoryKib: config.argon2MemoryKib,
      timeCost: config.argon2TimeCost,
      parallelism: config.argon2Parallelism,
    }),
    mailer,
    throttles: new Throttles(redis, config.redisKeyPrefix, config, logger),
    tiers: config.tiers,
    clock,
    tokenSettings: { issuer: config.issuer, audience: config.audience },
  };
  const retryAfter = createRetryAfterNotes();
  const verifier = createAssertionVerifier(config.trustedServices);
  let grpc: GrpcServer;
  try {
    grpc = await startGrpcServer({
      listen: config.listen,
      services: [
        {
          service: AuthService,
          // Reached through the gateway only, for signed-in users and anonymous visitors alike.
          implementation: retryAfter.trailers(
            grpcImplementation(AuthService, authHandlers(deps, retryAfter), logger, {
              verifier,
              rules: { from: [principals.gateway], onBehalfOfUsers: true },
            }),
          ),
        },
        {
          service: AuthInternalService,
          // Services asking as themselves; a call made for a user never reaches it. Only the gateway resolves
          // keys; the notify service also reads accounts (the address of a video's owner).
          implementation: grpcImplementation(AuthInternalService, authInternalHandlers(deps, retryAfter), logger, {
            verifier,
            rules: {
              verifyApiKey: { from: [principals.gateway], onBehalfOfUsers: false },
              getAccount: { from: [principals.gateway, principals.notify], onBehalfOfUsers: false },
            },
          }),
        },
      ],
    });
  } catch (error) {
    // A failed start (the port taken, say) releases what it opened, as one that fails earlier does.
    redis.disconnect();
    await mailer.close();
    await db.destroy();
    throw error;
  }
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: { postgres: () => users.ping() },
    registry: createMetricsRegistry("auth"),
  });
  const stopHealthProbe = followDependencyHealth({
    health: grpc.health,
    services: [AuthService.typeName, AuthInternalService.typeName],
    dependency: "PostgreSQL",
    check: () => users.ping(),
    logger,
  });
  logger.info({ grpcPort: grpc.port, opsPort: ops.port, kid }, "auth listening");

  return {
    grpcPort: grpc.port,
    opsPort: ops.port,
    async close() {
      stopHealthProbe();
      await grpc.shutdown(Math.max(100, config.shutdownTimeoutMs - 2000));
      await mailer.close();
      redis.disconnect();
      await ops.close();
      await db.destroy();
    },
  };
}
