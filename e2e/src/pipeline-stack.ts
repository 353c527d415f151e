import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startTestAccounts } from "@kino/auth-service/test-accounts";
import { startTestCatalog } from "@kino/catalog-service/testing";
import { gatewayConfigSchema, startGatewayApp, type RunningGatewayApp } from "@kino/gateway";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createTempDir, freePort, requireTestEnv, startS3rver, type TempDir } from "@kino/testkit";
import { transcoderConfigSchema, type RunningTranscoder } from "@kino/transcoder";
import { startTranscoderWithHooks, type JobHooks } from "@kino/transcoder/testing";

export type StorageDriver = "local" | "s3";

export interface PipelineStack {
  baseUrl: string;
  /** An API key of the stack's one user, with every non-admin scope. */
  apiKey: string;
  /** gRPC address of the catalog, for internal clients (lifecycle). */
  catalogUrl: string;
  uploads: Client<typeof UploadService>;
  videos: Client<typeof CatalogService>;
  /** Signs the gateway's playback URLs (for tests minting tokens of their own). */
  playbackTokenSecret: string;
  /** Env that points a storage client at the stack's storage. */
  storageEnv: Record<string, string>;
  /** The gateway's primary, when it runs as a process of its own (`gatewayWorkers`), and the env it was given. */
  gatewayProcess?: ChildProcess;
  gatewayEnv?: Record<string, string>;
  /** Another user of the stack, with an API key of every non-admin scope, and the catalog as them. */
  newUser(name: string): Promise<{ apiKey: string; videos: Client<typeof CatalogService> }>;
  close(): Promise<void>;
}

export interface PipelineStackOptions {
  preset?: string;
  segmentSeconds?: number;
  transcoderHooks?: JobHooks;
  /** KINO_TRANSCODE_RANGE_SECONDS and KINO_TRANSCODE_SPLIT_MIN_SECONDS of the transcoder (the production defaults otherwise). */
  rangeSeconds?: number;
  splitMinSeconds?: number;
  /** Runs the gateway as its main does, in a process of its own with KINO_GATEWAY_WORKERS set to this, instead of in this one. */
  gatewayWorkers?: number;
}

/**
 * Catalog, gateway and transcoder as their mains run them, over one fresh
 * database, NATS prefix and storage (a directory, or a real S3 API server).
 * If a part fails to start, those already started are stopped, so the test
 * file fails instead of hanging on their handles.
 */
export async function startPipelineStack(driver: StorageDriver, options: PipelineStackOptions = {}): Promise<PipelineStack> {
  const closers: (() => Promise<unknown>)[] = [];
  const dirs: TempDir[] = [];
  try {
    return await buildPipelineStack(driver, options, closers, dirs);
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    for (const dir of dirs) await dir.remove().catch(() => {});
    throw error;
  }
}

async function buildPipelineStack(driver: StorageDriver, options: PipelineStackOptions, closers: (() => Promise<unknown>)[], dirs: TempDir[]): Promise<PipelineStack> {
  const logger = silentLogger();
  const tempDir = async (prefix: string) => {
    const dir = await createTempDir(prefix);
    dirs.push(dir);
    return dir.path;
  };

  let storageEnv: Record<string, string>;
  if (driver === "local") {
    storageEnv = { KINO_STORAGE_DRIVER: "local", KINO_STORAGE_DIR: await tempDir("kino-e2e-storage-") };
  } else {
    const s3 = await startS3rver(await tempDir("kino-e2e-s3-"), "kino-e2e");
    closers.push(() => s3.stop());
    storageEnv = {
      KINO_STORAGE_DRIVER: "s3",
      KINO_S3_BUCKET: "kino-e2e",
      KINO_S3_ENDPOINT: s3.endpoint,
      KINO_S3_ACCESS_KEY_ID: "S3RVER",
      KINO_S3_SECRET_ACCESS_KEY: "S3RVER",
    };
  }
  const shared = {
    KINO_NATS_URL: requireTestEnv("KINO_TEST_NATS_URL"),
    KINO_NATS_PREFIX: `e2e${randomBytes(4).toString("hex")}`,
    KINO_LOG_LEVEL: "silent",
    ...storageEnv,
  };

  const accounts = await startTestAccounts();
  closers.unshift(() => accounts.close());
  const { apiKey } = await accounts.createUser("e2e-owner");
  const catalog = await startTestCatalog({ natsPrefix: shared.KINO_NATS_PREFIX });
  closers.unshift(() => catalog.close());
  const catalogUrl = catalog.address;

  const playbackTokenSecret = randomBytes(32).toString("hex");
  const gatewayEnv: Record<string, string> = {
    ...shared,
    KINO_GATEWAY_LISTEN: "127.0.0.1:0",
    KINO_CATALOG_URL: catalogUrl,
    ...accounts.gatewayEnv,
    KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("gateway"),
    KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
    KINO_UPLOAD_STAGING_DIR: await tempDir("kino-e2e-staging-"),
    KINO_RATE_LIMIT_PER_MINUTE: "0",
    KINO_SHUTDOWN_TIMEOUT_MS: "3000",
    KINO_PLAYBACK_TOKEN_SECRET: playbackTokenSecret,
  };
  let port: number;
  let gatewayProcess: ChildProcess | undefined;
  if (options.gatewayWorkers !== undefined) {
    port = await freePort();
    Object.assign(gatewayEnv, {
      KINO_GATEWAY_LISTEN: `127.0.0.1:${port}`,
      KINO_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      KINO_GATEWAY_WORKERS: String(options.gatewayWorkers),
    });
    gatewayProcess = await spawnGateway(gatewayEnv);
    const child = gatewayProcess;
    closers.unshift(() => stopProcess(child));
  } else {
    const gatewayConfig = parseConfig(gatewayConfigSchema, gatewayEnv);
    // Upload URLs are built on the public URL, known once the port is: bind first, then restart on it.
    const probe: RunningGatewayApp = await startGatewayApp(gatewayConfig, logger);
    port = probe.gateway.port;
    await probe.close();
    const gateway = await startGatewayApp(
      { ...gatewayConfig, listen: `127.0.0.1:${port}`, publicBaseUrl: `http://127.0.0.1:${port}` },
      logger,
    );
    closers.unshift(() => gateway.close());
  }

  const transcoder: RunningTranscoder = await startTranscoderWithHooks(
    parseConfig(transcoderConfigSchema, {
      ...shared,
      KINO_CATALOG_URL: catalogUrl,
      KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("transcoder"),
      KINO_TRANSCODER_OPS_LISTEN: "127.0.0.1:0",
      KINO_TRANSCODE_PRESET: options.preset ?? "ultrafast",
      KINO_HLS_SEGMENT_SECONDS: String(options.segmentSeconds ?? 4),
      ...(options.rangeSeconds !== undefined ? { KINO_TRANSCODE_RANGE_SECONDS: String(options.rangeSeconds) } : {}),
      ...(options.splitMinSeconds !== undefined ? { KINO_TRANSCODE_SPLIT_MIN_SECONDS: String(options.splitMinSeconds) } : {}),
      KINO_TEMP_DIR: await tempDir("kino-e2e-work-"),
      KINO_SHUTDOWN_TIMEOUT_MS: "5000",
    }),
    logger,
    options.transcoderHooks ?? {},
  );
  closers.unshift(() => transcoder.close());

  const baseUrl = `http://127.0.0.1:${port}`;
  const transportFor = (key: string) => {
    const authenticate: Interceptor = (next) => (request) => {
      request.header.set("authorization", `Bearer ${key}`);
      return next(request);
    };
    return createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [authenticate] });
  };
  const transport = transportFor(apiKey);
  return {
    baseUrl,
    apiKey,
    catalogUrl,
    uploads: createClient(UploadService, transport),
    videos: createClient(CatalogService, transport),
    storageEnv,
    playbackTokenSecret,
    ...(gatewayProcess ? { gatewayProcess, gatewayEnv } : {}),
    async newUser(name) {
      const user = await accounts.createUser(name);
      return { apiKey: user.apiKey, videos: createClient(CatalogService, transportFor(user.apiKey)) };
    },
    async close() {
      for (const close of closers) await close();
      for (const dir of dirs) await dir.remove();
    },
  };
}

const gatewayMain = fileURLToPath(new URL("../../gateway/src/main.ts", import.meta.url));

/**
 * gateway/src/main.ts in a process of its own; resolves once it answers
 * HTTP. /healthz may say 503: the stack runs no analytics service, whose
 * health the gateway reports.
 */
export async function spawnGateway(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", gatewayMain], { env: { ...process.env, ...env, KINO_LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://${env.KINO_GATEWAY_LISTEN}/healthz`;
  // Three processes loading the gateway's TypeScript on a loaded CI host take a while.
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode} before it answered: ${output}`);
    if (await fetch(url).then(() => true, () => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`the gateway did not answer within 60 s: ${output}`);
}

/** SIGTERM, then the exit. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
