import { NGINX_READY_PATH, startNginx } from "./nginx-process.ts";

export interface CachingProxy {
  /** Where clients reach the cache, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** The header naming nginx's $upstream_cache_status (HIT, MISS, EXPIRED…) on every answer. */
export const CACHE_STATUS_HEADER = "x-cache-status";

/**
 * Like a CDN edge: caches what Cache-Control allows (nothing else, and
 * honouring Vary), keyed by URL, revalidating with the origin's validators.
 * One process, so it runs as the caller without switching users.
 */
function config(dir: string, port: number, upstream: string): string {
  return `  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=edge:1m max_size=256m inactive=1h use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location = ${NGINX_READY_PATH} { return 204; }
    location / {
      proxy_pass ${upstream};
      proxy_http_version 1.1;
      proxy_cache edge;
      proxy_cache_revalidate on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }`;
}

/** Starts Debian's nginx (the `nginx` package) as a caching reverse proxy in front of `upstream`, everything under a temp dir of its own. */
export async function startCachingProxy(upstream: string): Promise<CachingProxy> {
  const nginx = await startNginx((dir, port) => config(dir, port, upstream));
  return { url: nginx.url, stop: nginx.stop };
}
