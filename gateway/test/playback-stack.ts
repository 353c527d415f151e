import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { catalogClientFor, lifecycleClientFor, startTestCatalog, type CatalogClient, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { createPlaybackTokens, type PlaybackTokens } from "@kino/playback-tokens";
import type { Visibility, Video } from "@kino/proto/catalog/v1";
import { PlaybackService } from "@kino/proto/playback/v1";
import { findFreePort } from "@kino/stack";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGatewayApp, type RunningGatewayApp } from "../src/gateway-app.ts";
import { storeTinyPackage } from "./hls-package.ts";
import { alice, bob, testGatewayConfig } from "./start-test-stack.ts";

const people = { alice, bob } as const;
export type TestUser = keyof typeof people;
/** Each test person's account id, as tokens and the catalog name them. */
export const userIds = { alice: alice.userId, bob: bob.userId } as const;

export interface PlaybackStackOptions {
  /** KINO_PLAYBACK_CACHE_TTL_MS: how long the origin reuses the catalog's answer about a video; 30 s otherwise. */
  playbackCacheTtlMs?: number;
  /** KINO_PLAYBACK_TOKEN_SECRET; false for a gateway without one. A random one otherwise. */
  tokenSecret?: false;
}

export interface PlaybackStack {
  /** The gateway's public base URL: API, origin and the URLs GetPlaybackInfo builds. */
  baseUrl: string;
  port: number;
  /** Signs with the gateway's secret: for tokens GetPlaybackInfo would never hand out (another viewer, expired). */
  tokens: PlaybackTokens;
  /** PlaybackService through the gateway, as `user` (anonymous when undefined). */
  playbackAs(user: TestUser | undefined): Client<typeof PlaybackService>;
  /** The catalog directly, as `user`. */
  catalogAs(user: TestUser): CatalogClient;
  /** A video of `owner` taken to READY, with a real HLS package (2 s, 320x180, master → 180p/index.m3u8 → init and segments) and a poster. */
  readyVideo(owner: TestUser, visibility: Visibility): Promise<Video>;
  close(): Promise<void>;
}

const outputId = "out1";
const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: true, sizeBytes: 1000n, videoCodec: "h264" };
const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 300_000, averageBandwidth: 200_000, frameRate: 24, codecs: "avc1.64000d,mp4a.40.2" }];

/** A catalog and the whole gateway app in front of it, as main runs it, with its storage at hand for the test's media. */
export async function startPlaybackStack(options: PlaybackStackOptions = {}): Promise<PlaybackStack> {
  const catalog: StartedTestCatalog = await startTestCatalog();
  const credentials = testServiceCredentials();
  const dir: TempDir = await createTempDir("kino-playback-");
  const storage: Storage = createLocalStorage({ root: join(dir.path, "storage") });
  const lifecycle = lifecycleClientFor(credentials, catalog.address);
  const secret = randomBytes(32).toString("hex");
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testGatewayConfig(catalog.catalog.grpcPort, {
    listen: `127.0.0.1:${port}`,
    publicBaseUrl: baseUrl,
    // Nothing listens there: only the analytics part of /healthz would notice.
    analyticsUrl: `127.0.0.1:${await findFreePort()}`,
    rateLimitPerMinute: 0,
    storageDir: join(dir.path, "storage"),
    uploadStagingDir: join(dir.path, "staging"),
    playbackTokenSecret: options.tokenSecret === false ? undefined : secret,
    ...(options.playbackCacheTtlMs === undefined ? {} : { playbackCacheTtlMs: options.playbackCacheTtlMs }),
  });
  const app: RunningGatewayApp = await startGatewayApp(config, silentLogger());
  const tokens = createPlaybackTokens(secret);

  const clients: { close(): void }[] = [lifecycle];
  const catalogs = new Map<TestUser, CatalogClient>();
  const catalogAs = (user: TestUser) => {
    let client = catalogs.get(user);
    if (!client) {
      client = catalogClientFor(credentials, catalog.address, userIds[user]);
      catalogs.set(user, client);
      clients.push(client);
    }
    return client;
  };

  return {
    baseUrl,
    port,
    tokens,
    playbackAs(user) {
      const withKey: Interceptor = (next) => (request) => {
        if (user) request.header.set("authorization", `Bearer ${people[user].apiKey}`);
        return next(request);
      };
      return createClient(PlaybackService, createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [withKey] }));
    },
    catalogAs,
    async readyVideo(owner, visibility) {
      const { video } = await catalogAs(owner).createVideo({ title: `${owner}'s video`, visibility });
      const videoId = video!.id;
      await storeTinyPackage(storage, videoId, [outputId]);
      await storage.put(mediaKey(videoId, outputId, "poster.jpg"), Buffer.from("a poster"));
      await storage.put(mediaKey(videoId, outputId, "storyboard.vtt"), Buffer.from("WEBVTT\n"));
      await storage.put(mediaKey(videoId, outputId, "preview.webp"), Buffer.from("a preview"));
      await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
      await lifecycle.startProcessing({ videoId });
      return (await lifecycle.markReady({ videoId, outputId, durationSeconds: 2, renditions })).video!;
    },
    async close() {
      await app.close();
      for (const client of clients) client.close();
      await catalog.close();
      await storage.close();
      await dir.remove();
    },
  };
}
