import { request } from "node:http";
import { join } from "node:path";
import { silentLogger } from "@kino/platform";
import { createLocalStorage, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { createOriginRoute, type OriginFileCache } from "../src/origin/index.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

export interface OriginTestServer {
  baseUrl: string;
  port: number;
  storage: Storage;
  /** Current output id per video, as the catalog would answer GetPlayback. */
  playback: Map<string, string>;
  /** Every storage key the origin read or looked up, in order. */
  keysTouched: string[];
  close(): Promise<void>;
}

/** Real local storage, whose reads and lookups are recorded, so tests can prove which keys a request reached. */
function recordingStorage(storage: Storage, keysTouched: string[]): Storage {
  return {
    ...storage,
    get(key, options) {
      keysTouched.push(key);
      return storage.get(key, options);
    },
    head(key) {
      keysTouched.push(key);
      return storage.head(key);
    },
  };
}

export interface OriginTestServerOptions {
  playlistMaxAgeSeconds?: number;
  /** KINO_CORS_ORIGINS; `*` by default. */
  corsOrigins?: string;
  /** The origin's in-memory copies; none by default, so every request reaches storage. */
  cache?: OriginFileCache;
  /** Storage to serve (another server's, to compare answers over the same files); a fresh local one by default. */
  storage?: Storage;
}

/** A gateway with only the origin mounted, over local storage in a temp dir; no catalog behind it. */
export async function startOriginTestServer(options: OriginTestServerOptions = {}): Promise<OriginTestServer> {
  const dir: TempDir = await createTempDir("kino-origin-");
  const storage = options.storage ?? createLocalStorage({ root: join(dir.path, "objects") });
  const playback = new Map<string, string>();
  const keysTouched: string[] = [];
  const route = createOriginRoute({
    storage: recordingStorage(storage, keysTouched),
    resolvePlayback: async (videoId) => playback.get(videoId),
    playlistMaxAgeSeconds: options.playlistMaxAgeSeconds,
    ...(options.cache ? { cache: options.cache } : {}),
  });
  // Port 1: nothing listens there; the origin never calls the catalog in these tests.
  const gateway: RunningGateway = await startGateway({
    config: testGatewayConfig(1, options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    logger: silentLogger(),
    routes: [route],
  });
  return {
    baseUrl: `http://127.0.0.1:${gateway.port}`,
    port: gateway.port,
    storage,
    playback,
    keysTouched,
    async close() {
      await gateway.close();
      await dir.remove();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends the request target exactly as written: fetch would normalise "..", which is what the tests must send. */
export function rawRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
