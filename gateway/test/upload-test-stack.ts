import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { RunningCatalog } from "@kino/catalog-service";
import { startTestCatalog } from "@kino/catalog-service/testing";
import { createGrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { CatalogService, VideoLifecycleService, type Video } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createLocalStorage, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import type { GatewayConfig } from "../src/config.ts";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { createUploadRoute, createUploadService, createUploadTokens, probeValidation, type UploadRoute, type UploadTokens } from "../src/upload/index.ts";
import { aliceKey, testGatewayConfig } from "./start-test-stack.ts";

const run = promisify(execFile);

export interface UploadCatalog {
  catalog: RunningCatalog;
  storageRoot: TempDir;
  storage: Storage;
  tokens: UploadTokens;
  close(): Promise<void>;
}

/** A catalog over its own database and NATS prefix, plus the storage every upload host writes to. */
export async function startUploadCatalog(): Promise<UploadCatalog> {
  const started = await startTestCatalog();
  const catalog = started.catalog;
  const storageRoot = await createTempDir("kino-upload-storage-");
  const storage = createLocalStorage({ root: storageRoot.path });
  return {
    catalog,
    storageRoot,
    storage,
    tokens: createUploadTokens(randomBytes(32).toString("hex")),
    async close() {
      await started.close();
      await storage.close();
      await storageRoot.remove();
    },
  };
}

export interface UploadHostOptions {
  hostId: string;
  maxSizeBytes: number;
  expiresInMs?: number;
  peers?: Map<string, string>;
  /** Instead of the stack's storage. */
  storage?: Storage;
  /** Gateway settings over the test defaults (e.g. body rate limits). */
  config?: Partial<GatewayConfig>;
}

export interface UploadHost {
  baseUrl: string;
  gateway: RunningGateway;
  route: UploadRoute;
  stagingDir: TempDir;
  uploads: Client<typeof UploadService>;
  videos: Client<typeof CatalogService>;
  /** Every file under this host's tus staging directory (uploads and their .json info). */
  stagedFiles(): Promise<string[]>;
  getVideo(id: string): Promise<Video>;
  close(): Promise<void>;
}

const asAlice: Interceptor = (next) => (request) => {
  request.header.set("authorization", `Bearer ${aliceKey}`);
  return next(request);
};

/** A gateway with the upload service and route mounted, as main will wire them. */
export async function startUploadHost(stack: UploadCatalog, options: UploadHostOptions): Promise<UploadHost> {
  const catalogUrl = `127.0.0.1:${stack.catalog.grpcPort}`;
  // The upload host's own calls, signed as the gateway it is part of.
  const identity = testServiceCredentials().minter("gateway");
  const catalogClient = createGrpcClient(CatalogService, catalogUrl, { identity });
  const lifecycle = createGrpcClient(VideoLifecycleService, catalogUrl, { identity });
  const stagingDir = await createTempDir("kino-upload-staging-");
  const peers = options.peers ?? new Map<string, string>();
  // The public URL is known once the port is; the upload code reads it per request.
  let baseUrl = "";
  const route = await createUploadRoute({
    tokens: stack.tokens,
    stagingDir: stagingDir.path,
    storage: options.storage ?? stack.storage,
    lifecycle,
    validateSource: probeValidation,
    hostId: options.hostId,
    peers,
    get publicBaseUrl() {
      return baseUrl;
    },
    maxSizeBytes: options.maxSizeBytes,
    sweepIntervalMs: 0,
    logger: silentLogger(),
  });
  const gateway = await startGateway({
    config: testGatewayConfig(stack.catalog.grpcPort, options.config),
    logger: silentLogger(),
    routes: [route],
    rpc: (router, auth) =>
      router.service(
        UploadService,
        createUploadService({
          catalog: catalogClient,
          auth,
          tokens: stack.tokens,
          get publicBaseUrl() {
            return baseUrl;
          },
          maxSizeBytes: options.maxSizeBytes,
          expiresInMs: options.expiresInMs ?? 24 * 3600_000,
          timeoutMs: 5000,
          logger: silentLogger(),
        }),
      ),
  });
  baseUrl = `http://127.0.0.1:${gateway.port}`;
  const transport = createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [asAlice] });
  const videos = createClient(CatalogService, transport);
  return {
    baseUrl,
    gateway,
    route,
    stagingDir,
    uploads: createClient(UploadService, transport),
    videos,
    stagedFiles: () => readdir(join(stagingDir.path, "files")),
    async getVideo(id) {
      const { video } = await videos.getVideo({ id });
      if (!video) throw new Error(`catalog returned no video ${id}`);
      return video;
    },
    async close() {
      route.close();
      await gateway.close();
      catalogClient.close();
      lifecycle.close();
      await stagingDir.remove();
    },
  };
}

/** Tiny media made with ffmpeg's lavfi sources: a real clip and the bad inputs. */
export interface TestMedia {
  dir: TempDir;
  clip: string;
  audioOnly: string;
  still: string;
  textAsMp4: string;
  truncated: string;
}

export async function makeTestMedia(): Promise<TestMedia> {
  const dir = await createTempDir("kino-upload-media-");
  const at = (name: string) => join(dir.path, name);
  const ffmpeg = (...args: string[]) => run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);
  await Promise.all([
    ffmpeg(
      ...["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=15", "-f", "lavfi", "-i", "sine=frequency=440"],
      ...["-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", at("clip.mp4")],
    ),
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac", at("audio-only.mp4")),
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90", "-frames:v", "1", at("still.png")),
    writeFile(at("text.mp4"), "These are meeting notes, not a video.\n".repeat(40)),
  ]);
  const clipBytes = await readFile(at("clip.mp4"));
  // The default MP4 muxer writes its index (moov) last: half a file has none.
  await writeFile(at("truncated.mp4"), clipBytes.subarray(0, Math.floor(clipBytes.length / 2)));
  return { dir, clip: at("clip.mp4"), audioOnly: at("audio-only.mp4"), still: at("still.png"), textAsMp4: at("text.mp4"), truncated: at("truncated.mp4") };
}
