/**
 * What authentication costs at the gateway (not run by tests or CI).
 *
 *   node --import tsx bench/gateway-auth.ts [--duration=10] [--connections=64] [--rounds=3]
 *
 * Starts a gateway of its own (rate limits off) in front of the services a
 * running `./kino up` stack provides, with that stack's service key, and
 * drives one cheap RPC (Connect JSON GetVideo of a public READY video: one
 * catalog round trip) with wrk three ways, in interleaved rounds:
 *   (a) anonymous — the baseline;
 *   (b) with an API key (`Authorization: Bearer kino_…`);
 *   (c) with an access token (JWT) of the same account.
 * Prints requests/s (median of the rounds) and each ratio to anonymous.
 * Needs `./kino up` (the admin's key in .kino/dev/api-key and password in
 * .kino/dev/admin-password; the demo video it made).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { devDataDir, startDevStackGateway } from "./dev-stack-gateway.ts";

const dataDir = devDataDir;
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")) as [string, string][]);
const seconds = Number(args.duration ?? 10);
const connections = Number(args.connections ?? 64);
const rounds = Number(args.rounds ?? 3);
const upGateway = "http://127.0.0.1:8080";
const port = 18_480;
const base = `http://127.0.0.1:${port}`;

async function rpc<T>(url: string, method: string, body: object, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${url}/${method}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function runWrk(body: string, authorization: string | undefined): Promise<{ rps: number; non2xx: number }> {
  const script = join(tmpdir(), `kino-bench-${randomBytes(6).toString("hex")}.lua`);
  const headers = [`["Content-Type"] = "application/json"`, ...(authorization ? [`["Authorization"] = "${authorization}"`] : [])].join(", ");
  await writeFile(script, `request = function() return wrk.format("POST", "/kino.catalog.v1.CatalogService/GetVideo", { ${headers} }, '${body}') end\n`);
  const { stdout } = await promisify(execFile)("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, base], { maxBuffer: 1 << 20 }).finally(() => rm(script));
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const apiKey = (await readFile(join(dataDir, "api-key"), "utf8")).trim();
const password = (await readFile(join(dataDir, "admin-password"), "utf8")).trim();
const { videos } = await rpc<{ videos: { id: string }[] }>(upGateway, "kino.catalog.v1.CatalogService/ListVideos", { status: "VIDEO_STATUS_READY" });
const videoId = videos[0]?.id;
if (!videoId) throw new Error("no READY public video: run ./kino up (its demo makes one)");
const gateway = await startDevStackGateway({ port });
try {
  const { tokens } = await rpc<{ tokens: { accessToken: string } }>(base, "kino.auth.v1.AuthService/SignIn", { email: "admin@kino.localhost", password });
  const body = JSON.stringify({ id: videoId });
  const variants = [
    ["(a) anonymous", undefined],
    ["(b) API key", `Bearer ${apiKey}`],
    ["(c) access token (JWT)", `Bearer ${tokens.accessToken}`],
  ] as const;
  const results = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  // Access tokens last 15 minutes; sign in again if a long run needs it.
  for (let round = 0; round < rounds; round++) {
    for (const [name, authorization] of variants) {
      const { rps, non2xx } = await runWrk(body, authorization);
      if (non2xx > 0) throw new Error(`${name}: ${non2xx} answers were not 2xx`);
      results.get(name)!.push(rps);
      process.stdout.write(`round ${round + 1} ${name}: ${rps.toFixed(0)} req/s\n`);
    }
  }
  const anonymous = median(results.get("(a) anonymous")!);
  process.stdout.write(`\nGetVideo through the gateway, ${connections} connections, ${seconds} s x ${rounds} rounds (median):\n`);
  for (const [name] of variants) {
    const rps = median(results.get(name)!);
    process.stdout.write(`  ${name.padEnd(26)} ${rps.toFixed(0).padStart(7)} req/s   ${(rps / anonymous).toFixed(3)}x anonymous\n`);
  }
} finally {
  gateway.kill("SIGTERM");
}
