import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningCatalog } from "@kino/catalog-service";
import { catalogClientFor, lifecycleClientFor, startTestCatalog } from "@kino/catalog-service/testing";
import type { GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { createTopology, type Topology } from "@kino/messaging";
import { parseConfig } from "@kino/platform";
import type { CatalogService, VideoLifecycleService, Video } from "@kino/proto/catalog/v1";
import { createLocalStorage, rawKey, type Storage } from "@kino/storage";
import { createTempDir, makeClip, requireTestEnv, type ClipOptions, type TempDir } from "@kino/testkit";
import { connect, type NatsConnection } from "nats";
import { transcoderConfigSchema, type TranscoderConfig } from "../../src/index.ts";

const OWNER = "transcoder-test-owner";

export interface ClipSource {
  width: number;
  height: number;
  seconds: number;
}

export interface TestStack {
  catalog: RunningCatalog;
  topology: Topology;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  /** The catalog as the owner of every test video. */
  videos: GrpcClient<typeof CatalogService>;
  /** GetVideo, DeleteVideo… as the owner of every test video. */
  getVideo(id: string): Promise<Video>;
  deleteVideo(id: string): Promise<void>;
  storage: Storage;
  nats: NatsConnection;
  dir: TempDir;
  /** Environment a transcoder (child process or in-process) needs to work for this stack. */
  transcoderEnv(overrides?: Record<string, string>): Record<string, string>;
  transcoderConfig(overrides?: Record<string, string>): TranscoderConfig;
  /** A synthetic clip in this stack's temp dir. */
  clip(name: string, options: ClipOptions): Promise<string>;
  /** A new video of the test owner, UPLOADING; `download` asks for its MP4 download. */
  createVideo(options?: { download?: boolean }): Promise<string>;
  /** Stores `clipPath` as the video's source and marks it uploaded, so the catalog queues its job as in production. */
  markUploaded(videoId: string, clipPath: string, source?: ClipSource): Promise<void>;
  /** createVideo, then markUploaded. */
  uploadVideo(clipPath: string, source?: ClipSource, options?: { download?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** A catalog over its own database and NATS prefix, local storage in a temp dir, and a NATS connection for the test's own looks. */
export async function startTestStack(): Promise<TestStack> {
  const started = await startTestCatalog();
  const { catalog, address, natsPrefix } = started;
  const dir = await createTempDir("kino-transcoder-test-");
  const natsUrl = requireTestEnv("KINO_TEST_NATS_URL");
  const credentials = testServiceCredentials();
  const lifecycle = lifecycleClientFor(credentials, address);
  const videos = catalogClientFor(credentials, address, OWNER);
  const storageDir = join(dir.path, "storage");
  const storage = createLocalStorage({ root: storageDir });
  const nats = await connect({ servers: natsUrl });
  const topology = createTopology(natsPrefix);

  async function createVideo(options: { download?: boolean } = {}): Promise<string> {
    return (await videos.createVideo({ title: "transcoder test", download: options.download ?? false })).video!.id;
  }

  async function markUploaded(videoId: string, clipPath: string, source: ClipSource = { width: 320, height: 180, seconds: 2 }): Promise<void> {
    const sourceKey = rawKey(videoId, "source");
    await storage.put(sourceKey, await readFile(clipPath));
    await lifecycle.markUploaded({
      videoId,
      sourceKey,
      source: { durationSeconds: source.seconds, width: source.width, height: source.height, frameRate: 30, hasAudio: true, sizeBytes: 1n, videoCodec: "h264" },
    });
  }

  const transcoderEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    KINO_NATS_URL: natsUrl,
    KINO_NATS_PREFIX: natsPrefix,
    KINO_CATALOG_URL: address,
    KINO_SERVICE_IDENTITY_FILE: credentials.files().identityFile("transcoder"),
    KINO_TRANSCODER_OPS_LISTEN: "127.0.0.1:0",
    KINO_STORAGE_DRIVER: "local",
    KINO_STORAGE_DIR: storageDir,
    KINO_TEMP_DIR: dir.path,
    KINO_LOG_LEVEL: "silent",
    KINO_TRANSCODE_PRESET: "ultrafast",
    ...overrides,
  });

  return {
    catalog,
    topology,
    lifecycle,
    videos,
    getVideo: async (id) => (await videos.getVideo({ id })).video!,
    deleteVideo: async (id) => {
      await videos.deleteVideo({ id });
    },
    storage,
    nats,
    dir,
    transcoderEnv,
    transcoderConfig: (overrides) => parseConfig(transcoderConfigSchema, transcoderEnv(overrides)),
    clip: (name, options) => makeClip(join(dir.path, name), options),
    createVideo,
    markUploaded,
    async uploadVideo(clipPath, source, options) {
      const id = await createVideo(options);
      await markUploaded(id, clipPath, source);
      return id;
    },
    async close() {
      lifecycle.close();
      videos.close();
      await started.close();
      const jsm = await nats.jetstreamManager();
      for (const stream of [...Object.values(topology.streams), `KV_${topology.rangeBucket}`]) await jsm.streams.delete(stream).catch(() => undefined);
      await nats.close();
      await storage.close();
      await dir.remove();
    },
  };
}
