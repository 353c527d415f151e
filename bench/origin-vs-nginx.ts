/**
 * The HLS origin against nginx serving the same files (not run by tests or CI).
 *
 *   node --import tsx bench/origin-vs-nginx.ts [--duration=10] [--rounds=3] [--connections=64]
 *
 * Needs `./kino up` (its catalog says which output of the demo video is
 * current). Starts, each on a port of its own:
 *   - a gateway (gateway/src/main.ts, rate limits off, the dev stack's
 *     catalog, KINO_GATEWAY_WORKERS one per core, as nginx has) over a
 *     storage directory of the bench's own, holding a media playlist of 100
 *     segments and a 1.5 MB segment under the demo video's current output,
 *     and the same gateway in one process, for comparison;
 *   - nginx serving the very same bytes from disk (sendfile, open_file_cache,
 *     one worker per core), the baseline;
 *   - nginx with deploy/nginx/kino-edge.conf in front of that gateway.
 * Drives each with wrk (one thread, same connections and duration), in
 * interleaved rounds, and prints requests/s (median) and the ratios:
 * playlists and segments, origin / nginx, and segments through the edge /
 * nginx. The workers' gateway's resident memory (all its processes) is sampled before and after every
 * round, so a leak or an unbounded cache shows as growth.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { createLocalStorage, mediaKey } from "@kino/storage";
import { freePort, NGINX_READY_PATH, startKinoEdge, startNginx, type NginxProcess } from "@kino/testkit";
import { repoRoot, startDevStackGateway } from "./dev-stack-gateway.ts";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")) as [string, string][]);
const seconds = Number(args.duration ?? 10);
const rounds = Number(args.rounds ?? 3);
const connections = Number(args.connections ?? 64);
const upGateway = "http://127.0.0.1:8080";
const run = promisify(execFile);

async function rpc<T>(method: string, body: object): Promise<T> {
  const response = await fetch(`${upGateway}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method}: ${response.status} ${await response.text()} (is ./kino up running?)`);
  return (await response.json()) as T;
}

function mediaPlaylist(segments: number): Buffer {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:6", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", '#EXT-X-MAP:URI="init.mp4"'];
  for (let i = 0; i < segments; i++) lines.push("#EXTINF:6.000000,", `seg_${String(i).padStart(5, "0")}.m4s`);
  lines.push("#EXT-X-ENDLIST", "");
  return Buffer.from(lines.join("\n"));
}

/** nginx as one would serve static HLS files: sendfile, open file cache, a worker per core. */
function staticNginx(root: string): Promise<NginxProcess> {
  return startNginx(
    (_dir, port) => `  types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; }
  sendfile on;
  tcp_nopush on;
  open_file_cache max=1000 inactive=60s;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:${port};
    location = ${NGINX_READY_PATH} { return 204; }
    location /hls/ { root ${root}; }
  }`,
    { workers: cpus().length },
  );
}

async function wrk(url: string): Promise<number> {
  const { stdout } = await run("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, url], { maxBuffer: 1 << 20 });
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  if (non2xx > 0) throw new Error(`${url}: ${non2xx} answers were not 2xx`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
}

/** Resident memory of the gateway: its primary and every worker. */
async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const own = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "")).trim().split(/\s+/).filter(Boolean);
  let total = own;
  for (const child of children) total += await residentMiB(Number(child)).catch(() => 0);
  return total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const { videos } = await rpc<{ videos: { id: string; playbackPath: string }[] }>("kino.catalog.v1.CatalogService/ListVideos", { status: "VIDEO_STATUS_READY" });
const demo = videos.find((v) => v.playbackPath);
if (!demo) throw new Error("no READY public video: run ./kino up (its demo makes one)");
const outputId = demo.playbackPath.split("/")[3]!;

const work = await mkdtemp(join(tmpdir(), "kino-bench-origin-"));
const storageDir = join(work, "storage");
const files: Record<string, Buffer> = {
  "bench/index.m3u8": mediaPlaylist(100),
  "bench/seg_00000.m4s": randomBytes(1.5 * 1024 * 1024),
};
const storage = createLocalStorage({ root: storageDir });
for (const [file, bytes] of Object.entries(files)) {
  const [rung, name] = file.split("/") as [string, string];
  await storage.put(mediaKey(demo.id, outputId, rung, name), bytes);
  const onDisk = join(work, "static", "hls", demo.id, outputId, file);
  await mkdir(dirname(onDisk), { recursive: true });
  await writeFile(onDisk, bytes);
}
await storage.close();

const workers = cpus().length;
const gatewayPort = await freePort();
const singlePort = await freePort();
// As many gateway processes as nginx has workers (one per core), and one alone for comparison.
const [gateway, single] = await Promise.all([
  startDevStackGateway({ port: gatewayPort, storageDir, workers }),
  startDevStackGateway({ port: singlePort, storageDir, workers: 1 }),
]);
const nginx = await staticNginx(join(work, "static"));
const edge = await startKinoEdge({ configFile: join(repoRoot, "deploy/nginx/kino-edge.conf"), upstream: `127.0.0.1:${gatewayPort}`, workers });
try {
  const path = (file: string) => `/hls/${demo.id}/${outputId}/${file}`;
  const targets = {
    "playlist  nginx": `${nginx.url}${path("bench/index.m3u8")}`,
    "playlist  origin": `http://127.0.0.1:${gatewayPort}${path("bench/index.m3u8")}`,
    "playlist  origin, 1 process": `http://127.0.0.1:${singlePort}${path("bench/index.m3u8")}`,
    "segment   nginx": `${nginx.url}${path("bench/seg_00000.m4s")}`,
    "segment   origin": `http://127.0.0.1:${gatewayPort}${path("bench/seg_00000.m4s")}`,
    "segment   origin, 1 process": `http://127.0.0.1:${singlePort}${path("bench/seg_00000.m4s")}`,
    "segment   edge": `${edge.url}${path("bench/seg_00000.m4s")}`,
  };
  for (const url of Object.values(targets)) {
    const answer = await fetch(url);
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (!answer.ok || !(bytes.equals(files["bench/index.m3u8"]!) || bytes.equals(files["bench/seg_00000.m4s"]!))) throw new Error(`${url}: ${answer.status}, not the bench's bytes`);
  }
  const results = new Map<string, number[]>(Object.keys(targets).map((name) => [name, []]));
  const memory: number[] = [await residentMiB(gateway.pid!)];
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(targets)) {
      const rps = await wrk(url);
      results.get(name)!.push(rps);
      memory.push(await residentMiB(gateway.pid!));
      process.stdout.write(`round ${round + 1} ${name}: ${rps.toFixed(0)} req/s (gateway RSS ${memory.at(-1)!.toFixed(0)} MiB)\n`);
    }
  }
  const rate = (name: keyof typeof targets) => median(results.get(name)!);
  const line = (label: string, value: number, baseline: number) =>
    `  ${label.padEnd(40)} ${value.toFixed(0).padStart(8)} req/s   ${(value / baseline).toFixed(3)}x nginx\n`;
  process.stdout.write(`\nwrk -t1 -c${connections} -d${seconds}s, median of ${rounds} interleaved rounds; nginx ${workers} workers, sendfile; origin ${workers} gateway workers:\n`);
  process.stdout.write(line(`playlist (${(files["bench/index.m3u8"]!.length / 1024).toFixed(1)} KB), nginx`, rate("playlist  nginx"), rate("playlist  nginx")));
  process.stdout.write(line("playlist, origin", rate("playlist  origin"), rate("playlist  nginx")));
  process.stdout.write(line("playlist, origin in 1 process", rate("playlist  origin, 1 process"), rate("playlist  nginx")));
  process.stdout.write(line("segment (1.5 MB), nginx", rate("segment   nginx"), rate("segment   nginx")));
  process.stdout.write(line("segment, origin", rate("segment   origin"), rate("segment   nginx")));
  process.stdout.write(line("segment, origin in 1 process", rate("segment   origin, 1 process"), rate("segment   nginx")));
  process.stdout.write(line("segment, through kino-edge.conf", rate("segment   edge"), rate("segment   nginx")));
  process.stdout.write(
    `  gateway RSS (${workers} workers and their primary): ${memory[0]!.toFixed(0)} MiB before, ${Math.min(...memory.slice(1)).toFixed(0)}–${Math.max(...memory.slice(1)).toFixed(0)} MiB over the rounds, ${memory.at(-1)!.toFixed(0)} MiB at the end\n`,
  );
} finally {
  gateway.kill("SIGTERM");
  single.kill("SIGTERM");
  await edge.stop();
  await nginx.stop();
  await rm(work, { recursive: true, force: true });
}
