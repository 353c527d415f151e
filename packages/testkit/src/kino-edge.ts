import { readFile } from "node:fs/promises";
import { NGINX_READY_PATH, startNginx, type NginxProcess } from "./nginx-process.ts";

export interface KinoEdgeOptions {
  /** The shipped configuration, deploy/nginx/kino-edge.conf. */
  configFile: string;
  /** The gateway, host:port. */
  upstream: string;
  /** nginx worker processes; 0 (the default) runs one process without a master. */
  workers?: number;
}

/** The lines of the shipped file a deployment changes; each must be there exactly once, so a reworded config fails loudly here. */
function localised(config: string, dir: string, port: number, upstream: string): string {
  const edits: [string, string][] = [
    ["server 127.0.0.1:8080;", `server ${upstream};`],
    ["listen 80;", `listen 127.0.0.1:${port};\n    location = ${NGINX_READY_PATH} { return 204; }`],
  ];
  let out = config;
  for (const [from, to] of edits) {
    const count = out.split(from).length - 1;
    if (count !== 1) throw new Error(`kino-edge.conf: expected "${from}" once, found it ${count} times`);
    out = out.replace(from, to);
  }
  if (!out.includes("/var/cache/nginx/")) throw new Error("kino-edge.conf: expected its caches under /var/cache/nginx/");
  return out.replaceAll("/var/cache/nginx/", `${dir}/cache/`);
}

/** Starts Debian's nginx with Kino's edge configuration as shipped, pointed at `upstream`, on a free port under a temp dir. */
export async function startKinoEdge(options: KinoEdgeOptions): Promise<NginxProcess> {
  const config = await readFile(options.configFile, "utf8");
  return startNginx((dir, port) => localised(config, dir, port, options.upstream), { workers: options.workers ?? 0 });
}
