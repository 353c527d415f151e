import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger, type Logger } from "@kino/platform";
import { NotifyService } from "@kino/proto/notify/v1";
import { createTestDatabase, requireTestEnv } from "@kino/testkit";
import type { NotifyConfig } from "./config.ts";
import type { HostResolver } from "./host-resolver.ts";
import { startNotifyService, type RunningNotify } from "./notify-service.ts";

export interface TestNotifyOptions {
  /** Shared with the catalog whose events it consumes. */
  natsPrefix: string;
  /** The auth service's host:port (owners' addresses). */
  authUrl: string;
  /** Where mail goes: a MailCatcher's url. */
  smtpUrl: string;
  /** Settings that differ from the test defaults (private webhooks allowed, retries in fractions of a second). */
  config?: Partial<NotifyConfig>;
  resolver?: HostResolver;
  logger?: Logger;
}

export interface StartedTestNotify {
  notify: RunningNotify;
  /** host:port of its gRPC server. */
  address: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** For tests: a real notify service on a free port over the test PostgreSQL and NATS, its own database dropped on close. */
export async function startTestNotify(options: TestNotifyOptions): Promise<StartedTestNotify> {
  const database = await createTestDatabase("kino_notify");
  const credentials = testServiceCredentials();
  const config: NotifyConfig = {
    databaseUrl: database.url,
    listen: "127.0.0.1:0",
    opsListen: "127.0.0.1:0",
    natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
    natsPrefix: options.natsPrefix,
    authUrl: options.authUrl,
    smtpUrl: options.smtpUrl,
    mailFrom: "Kino test <no-reply@kino.test>",
    webhookTimeoutMs: 2000,
    retryBaseMs: 100,
    retryMaxDelayMs: 400,
    retryWindowMs: 60_000,
    disableAfterMs: 60_000,
    allowPrivateWebhooks: true,
    pollMs: 50,
    identity: credentials.identity("notify"),
    trustedServices: credentials.trust,
    logLevel: "silent",
    shutdownTimeoutMs: 3000,
    ...options.config,
  };
  try {
    const notify = await startNotifyService(config, options.logger ?? silentLogger(), { resolver: options.resolver });
    return {
      notify,
      address: `127.0.0.1:${notify.grpcPort}`,
      databaseUrl: database.url,
      async close() {
        await notify.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

export type NotifyClient = GrpcClient<typeof NotifyService>;

/** The notify service as the gateway calls it for `userId` (for nobody when undefined). */
export function notifyClientFor(address: string, userId: string | undefined): NotifyClient {
  const raw = createGrpcClient(NotifyService, address, { identity: testServiceCredentials().minter("gateway") });
  return userId ? withCallOptions(raw, { onBehalfOf: { userId } }) : raw;
}
