import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));
/** Where `./kino up` keeps its state: service keys, the admin's credentials, storage. */
export const devDataDir = join(repoRoot, ".kino/dev");

/**
 * A gateway of the bench's own (gateway/src/main.ts, rate limits off, warnings
 * only, one process unless `workers` says otherwise) in front of the services a running `./kino up` stack provides, with
 * that stack's service key; resolves once /healthz answers.
 */
export async function startDevStackGateway(options: { port: number; storageDir?: string; workers?: number }): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/main.ts"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      KINO_GATEWAY_LISTEN: `127.0.0.1:${options.port}`,
      KINO_PUBLIC_BASE_URL: base,
      KINO_CATALOG_URL: "127.0.0.1:50051",
      KINO_ANALYTICS_URL: "127.0.0.1:50052",
      KINO_AUTH_URL: "127.0.0.1:50053",
      KINO_SERVICE_IDENTITY_FILE: join(devDataDir, "service-keys/gateway.identity.json"),
      KINO_STORAGE_DIR: options.storageDir ?? join(devDataDir, "storage"),
      KINO_UPLOAD_STAGING_DIR: join(tmpdir(), `kino-bench-staging-${randomBytes(4).toString("hex")}`),
      KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
      KINO_RATE_LIMIT_PER_MINUTE: "0",
      KINO_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: "0",
      KINO_UPLOAD_RATE_LIMIT_PER_MINUTE: "0",
      KINO_LOG_LEVEL: "warn",
      KINO_GATEWAY_WORKERS: String(options.workers ?? 1),
    },
  });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${base}/healthz`).then((res) => res.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("the bench gateway did not become healthy");
}
