import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createTempDir } from "./temp-dir.ts";

export interface CachingProxy {
  /** Where clients reach the cache, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** The header naming nginx's $upstream_cache_status (HIT, MISS, EXPIRED…) on every answer. */
export const CACHE_STATUS_HEADER = "x-cache-status";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Like a CDN edge: caches what Cache-Control allows (nothing else, and
 * honouring Vary), keyed by URL, revalidating with the origin's validators.
 * One process, so it runs as the caller without switching users.
 */
function config(dir: string, port: number, upstream: string): string {
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/client-body;
  proxy_temp_path ${dir}/proxy-temp;
  fastcgi_temp_path ${dir}/fastcgi-temp;
  uwsgi_temp_path ${dir}/uwsgi-temp;
  scgi_temp_path ${dir}/scgi-temp;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=edge:1m max_size=256m inactive=1h use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location = /__cache-ready { return 204; }
    location / {
      proxy_pass ${upstream};
      proxy_http_version 1.1;
      proxy_cache edge;
      proxy_cache_revalidate on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}

/** Starts Debian's nginx (the `nginx` package) as a caching reverse proxy in front of `upstream`, everything under a temp dir of its own. */
export async function startCachingProxy(upstream: string): Promise<CachingProxy> {
  const dir = await createTempDir("kino-nginx-");
  await mkdir(join(dir.path, "cache"));
  const port = await freePort();
  const conf = join(dir.path, "nginx.conf");
  await writeFile(conf, config(dir.path, port, upstream));
  const child = spawn("nginx", ["-p", dir.path, "-e", join(dir.path, "error.log"), "-c", conf], {
    stdio: "ignore",
    // Debian installs nginx in /usr/sbin, which a non-root PATH often lacks.
    env: { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/sbin:/sbin` },
  });
  const exited = once(child, "exit");
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    await dir.remove();
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) {
      const log = await readFile(join(dir.path, "error.log"), "utf8").catch(() => "");
      await dir.remove();
      throw new Error(`nginx exited with code ${child.exitCode} before listening: ${log}`);
    }
    const ready = await fetch(`${url}/__cache-ready`).then((res) => res.status === 204, () => false);
    if (ready) return { url, stop };
    await sleep(50);
  }
  await stop();
  throw new Error("nginx did not start listening within 5 s");
}
