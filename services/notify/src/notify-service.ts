import { createDatabase, migrateToLatest } from "@kino/database";
import {
  createAssertionMinter,
  createAssertionVerifier,
  createGrpcClient,
  followDependencyHealth,
  grpcImplementation,
  principals,
  startGrpcServer,
  type GrpcServer,
} from "@kino/grpc";
import { connectNats, createTopology, ensureStreams } from "@kino/messaging";
import { createMetricsRegistry, splitListen, startOpsServer, type Logger } from "@kino/platform";
import { AuthInternalService } from "@kino/proto/auth/v1";
import { NotifyService } from "@kino/proto/notify/v1";
import { sql, type Kysely } from "kysely";
import { authAccountDirectory, type AccountDirectory } from "./account-directory.ts";
import type { NotifyConfig } from "./config.ts";
import { startEventConsumer } from "./event-consumer.ts";
import { recordEvent } from "./event-intake.ts";
import { createAddressGuard, systemResolver, type HostResolver } from "./host-resolver.ts";
import { mailRound } from "./mail-dispatcher.ts";
import { createMailer } from "./mailer.ts";
import { notifyMigrations } from "./migrations/index.ts";
import { notificationHandlers } from "./notification-handlers.ts";
import type { NotifyDependencies } from "./notify-dependencies.ts";
import { startPollingWorker } from "./polling-worker.ts";
import type { NotifyDatabase } from "./schema.ts";
import { webhookRound } from "./webhook-dispatcher.ts";
import { webhookHandlers } from "./webhook-handlers.ts";
import { createWebhookSender } from "./webhook-sender.ts";

export interface RunningNotify {
  grpcPort: number;
  opsPort: number;
  /** Stop taking calls and events, finish the rounds under way, close connections. */
  close(): Promise<void>;
}

export interface NotifyServiceOptions {
  clock?: () => Date;
  /** How webhook hosts resolve; the system resolver by default. */
  resolver?: HostResolver;
  /** Where owners' addresses come from; the auth service (KINO_AUTH_URL) by default. */
  accounts?: AccountDirectory;
}

export async function startNotifyService(config: NotifyConfig, logger: Logger, options: NotifyServiceOptions = {}): Promise<RunningNotify> {
  const clock = options.clock ?? (() => new Date());
  const db: Kysely<NotifyDatabase> = createDatabase<NotifyDatabase>({ url: config.databaseUrl });
  const ping = async () => void (await sql`select 1`.execute(db));
  try {
    await migrateToLatest(db as Kysely<unknown>, notifyMigrations, logger);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const auth = createGrpcClient(AuthInternalService, config.authUrl, { identity: createAssertionMinter(config.identity) });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const guard = createAddressGuard({ resolver: options.resolver ?? systemResolver, allowPrivate: config.allowPrivateWebhooks });
  if (config.allowPrivateWebhooks) logger.warn("KINO_NOTIFY_ALLOW_PRIVATE_WEBHOOKS is on: webhooks may reach loopback and private addresses");
  const retry = { baseMs: config.retryBaseMs, maxDelayMs: config.retryMaxDelayMs, windowMs: config.retryWindowMs };

  const mail = startPollingWorker({
    name: "mail",
    pollMs: config.pollMs,
    round: mailRound({ db, mailer, accounts: options.accounts ?? authAccountDirectory(auth), retry, clock, logger: logger.child({ worker: "mail" }) }),
    logger,
  });
  const webhooks = startPollingWorker({
    name: "webhooks",
    pollMs: config.pollMs,
    round: webhookRound({
      db,
      send: createWebhookSender({ guard, timeoutMs: config.webhookTimeoutMs, now: clock }),
      rules: { retry, disableAfterMs: config.disableAfterMs },
      timeoutMs: config.webhookTimeoutMs,
      clock,
      logger: logger.child({ worker: "webhooks" }),
      onDisabled: () => mail.wake(),
    }),
    logger,
  });

  const stopStarted: (() => Promise<void>)[] = [() => webhooks.stop(), () => mail.stop()];
  const closeStarted = async () => {
    for (const stop of stopStarted.reverse()) await stop();
    auth.close();
    mailer.close();
    await db.destroy();
  };
  let grpc: GrpcServer;
  let consumer: { stop(): Promise<void> };
  try {
    const topology = createTopology(config.natsPrefix);
    const nats = await connectNats({ url: config.natsUrl, name: "notify", logger });
    stopStarted.push(() => nats.drain());
    await ensureStreams(await nats.jetstreamManager(), topology.streamConfigs());
    consumer = await startEventConsumer({
      nats,
      topology,
      name: "notify",
      record: (event) => recordEvent(db, event, clock()),
      onRecorded: () => (webhooks.wake(), mail.wake()),
      logger: logger.child({ component: "events" }),
    });
    stopStarted.push(() => consumer.stop());
    const deps: NotifyDependencies = { db, guard, clock, wakeDeliveries: () => webhooks.wake() };
    grpc = await startGrpcServer({
      listen: config.listen,
      services: [
        {
          service: NotifyService,
          // Reached through the gateway only, always for a user (the handlers refuse calls for nobody).
          implementation: grpcImplementation(NotifyService, { ...webhookHandlers(deps), ...notificationHandlers(deps) }, logger, {
            verifier: createAssertionVerifier(config.trustedServices),
            rules: { from: [principals.gateway], onBehalfOfUsers: true },
          }),
        },
      ],
    });
  } catch (error) {
    await closeStarted();
    throw error;
  }
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: { postgres: ping },
    registry: createMetricsRegistry("notify"),
  });
  const stopHealthProbe = followDependencyHealth({ health: grpc.health, services: [NotifyService.typeName], dependency: "PostgreSQL", check: ping, logger });
  logger.info({ grpcPort: grpc.port, opsPort: ops.port }, "notify listening");

  return {
    grpcPort: grpc.port,
    opsPort: ops.port,
    async close() {
      stopHealthProbe();
      await grpc.shutdown(Math.max(100, config.shutdownTimeoutMs - 2000));
      await ops.close();
      await closeStarted();
    },
  };
}
