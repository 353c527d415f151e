import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createTempDir } from "./temp-dir.ts";

export interface NginxProcess {
  /** Where clients reach it, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Its own directory (config, logs, caches); removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The location every config started here must answer 204 at, so startNginx knows it listens. */
export const NGINX_READY_PATH = "/__nginx-ready";

/**
 * Starts Debian's nginx (the `nginx` package) in the foreground as the
 * caller, everything under a temp dir of its own. `http` is the inside of the
 * http {} block, given that dir and the port to listen on; it must have a
 * server on that port answering NGINX_READY_PATH with 204. `workers` > 0
 * runs a master with that many worker processes, as a deployment would.
 */
export async function startNginx(http: (dir: string, port: number) => string, options: { workers?: number } = {}): Promise<NginxProcess> {
  const tmp = await createTempDir("kino-nginx-");
  const dir = tmp.path;
  await mkdir(join(dir, "cache"));
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  const workers = options.workers ?? 0;
  // A master started as root runs its workers as nobody, who cannot read a temp dir of the caller's.
  const asRoot = process.getuid?.() === 0;
  await writeFile(
    conf,
    `daemon off;
${workers > 0 ? `worker_processes ${workers};
${asRoot ? "user root;" : ""}` : "master_process off;"}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client-body;
  proxy_temp_path ${dir}/proxy-temp;
  fastcgi_temp_path ${dir}/fastcgi-temp;
  uwsgi_temp_path ${dir}/uwsgi-temp;
  scgi_temp_path ${dir}/scgi-temp;
${http(dir, port)}
}
`,
  );
  const child = spawn("nginx", ["-p", dir, "-e", join(dir, "error.log"), "-c", conf], {
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
    await tmp.remove();
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) {
      const log = await readFile(join(dir, "error.log"), "utf8").catch(() => "");
      await tmp.remove();
      throw new Error(`nginx exited with code ${child.exitCode} before listening: ${log}`);
    }
    const ready = await fetch(`${url}${NGINX_READY_PATH}`).then((res) => res.status === 204, () => false);
    if (ready) return { url, dir, stop };
    await sleep(50);
  }
  await stop();
  throw new Error("nginx did not start listening within 5 s");
}
