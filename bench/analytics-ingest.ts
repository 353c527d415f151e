/**
 * Beacon ingestion benchmark (not run by tests or CI).
 *
 *   node --import tsx bench/analytics-ingest.ts [--duration=10] [--connections=256] [--events=1,20] [--rounds=3]
 *
 * Drives servers in turn with wrk, each in its own process, with the same
 * SDK-shaped JSON batches (unique event ids per request), for each batch
 * size asked for, in interleaved rounds (this machine's figures swing by a
 * fifth from run to run; the median is reported):
 *   (a) bare uWS: reads the body, answers 204 — the ceiling;
 *   (b) node:http doing the collector's validation and enrichment, no buffer;
 *   (c) the collector, durable (2xx only after JetStream's ack), sink off;
 *   (d) the collector with its in-process ClickHouse sink, as deployed by default.
 * Then a sink-only collector drains the backlog (c) left in the stream: the
 * rate at which events reach ClickHouse. Prints batches/s and events/s, the
 * ratios to (a) and (b), and the sink rate. 256 connections by default: a
 * collector serves many players at once, and with a durable answer each
 * request waits a JetStream round trip, so throughput needs concurrency.
 * Needs NATS with JetStream
 * and ClickHouse: KINO_NATS_URL / KINO_CLICKHOUSE_URL, defaulting to the
 * servers `kino up` starts; it uses and then removes a database and a stream of its own.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
// bench/ is no workspace package: libraries are imported by path.
import { createAnalyticsStore } from "../packages/analytics-store/src/index.ts";
import { createLogger, parseConfig, silentLogger } from "../packages/platform/src/index.ts";
import {
  answerIngest,
  collectorConfigSchema,
  createIngest,
  createIngestLog,
  deleteEventStream,
  createUserAgentParser,
  loadCountryLookup,
  loadNativeUws,
  startCollector,
} from "../analytics-collector/src/index.ts";

const self = fileURLToPath(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")) as [string, string][]);
const natsUrl = process.env.KINO_NATS_URL ?? "nats://127.0.0.1:42220";
const clickhouseUrl = process.env.KINO_CLICKHOUSE_URL ?? "http://127.0.0.1:18123";

// ---- servers, each started as `--serve=<kind>` in a child process ----

async function serveBare(): Promise<number> {
  const uws = loadNativeUws();
  return new Promise((resolve) => {
    uws
      .App()
      .post("/v1/events", (res) => {
        res.onAborted(() => undefined);
        res.onData((_chunk, isLast) => {
          if (isLast) res.writeStatus("204 No Content").end();
        });
      })
      .listen("127.0.0.1", 0, (socket) => resolve(socket ? uws.us_socket_local_port(socket) : -1));
  });
}

async function serveNodeHttp(): Promise<number> {
  const countries = await loadCountryLookup();
  const describeDevice = createUserAgentParser();
  const ingest = createIngest({ maxBatchEvents: 1000, clockWindow: { pastMs: 86_400_000, futureMs: 300_000 }, publisher: { publish: async () => undefined } });
  const log = createIngestLog(silentLogger(), { refusedEveryMs: 10_000 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const context = { receivedAtMs: Date.now(), device: describeDevice(req.headers["user-agent"] ?? ""), country: countries.country(req.socket.remoteAddress ?? "") };
      void answerIngest(ingest, Buffer.concat(chunks), "json", context, log).then((answer) => {
        res.writeHead(answer.status, { "content-type": answer.contentType });
        res.end(answer.body);
      });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

async function serveCollector(): Promise<number> {
  const config = parseConfig(collectorConfigSchema, { ...process.env, KINO_COLLECTOR_LISTEN: "127.0.0.1:0" });
  const collector = await startCollector(config, { logger: createLogger({ name: "bench-collector", level: config.logLevel }), uws: loadNativeUws() });
  return collector.port;
}

// ---- the driver ----

// wrk's Lua is never seeded, so math.random would repeat its ids in every run: each run gets a prefix of its own.
const wrkScript = (events: number, prefix: string) => `
local counter = 0
local prefix = "${prefix}"
local ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
function request()
  counter = counter + 1
  local view = prefix .. "-" .. counter
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local parts = {}
  for i = 1, ${events} do
    parts[i] = string.format('{"eventId":"%s-%d","viewId":"%s","viewerId":"viewer-%d","videoId":"bench-video-%d","sdkName":"kino-web","sdkVersion":"0.1.0","clientTime":"%s","sequence":"%d","heartbeat":{"playheadMs":"%d","rendition":"720p","bitrateBps":"2500000","bufferLengthMs":8000,"counters":{"watchTimeMs":"%d","playedBits":"%d"}}}',
      view, i, view, counter % 1000, counter % 50, now, i, i * 10000, i * 10000, i * 25000000)
  end
  return wrk.format("POST", "/v1/events", { ["Content-Type"] = "application/json", ["User-Agent"] = ua }, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
`;

function startServer(kind: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", self, `--serve=${kind}`], {
    env: { KINO_LOG_LEVEL: "warn", ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (data: Buffer) => {
      const text = data.toString();
      const match = /^port (\d+)/m.exec(text);
      if (match) resolve({ child, port: Number(match[1]) });
      else process.stderr.write(text);
    });
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

interface WrkResult {
  requestsPerSecond: number;
  non2xx: number;
  errors: string;
}

async function runWrk(port: number, events: number, seconds: number, connections: number): Promise<WrkResult> {
  const script = join(tmpdir(), `kino-bench-${randomBytes(6).toString("hex")}.lua`);
  await writeFile(script, wrkScript(events, randomBytes(6).toString("hex")));
  const { stdout } = await promisify(execFile)("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, `http://127.0.0.1:${port}/v1/events`], { maxBuffer: 1 << 20 }).finally(() => rm(script));
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const errors = /Socket errors:.*/.exec(stdout)?.[0] ?? "";
  return { requestsPerSecond: rps, non2xx, errors };
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(name));
  return Number(line?.split(" ").pop() ?? 0);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function drive(): Promise<void> {
  const seconds = Number(args.duration ?? 10);
  const connections = Number(args.connections ?? 256);
  const shapes = (args.events ?? "1,20").split(",").map(Number);
  const rounds = Number(args.rounds ?? 3);
  const suffix = randomBytes(4).toString("hex");
  const collectorEnv = {
    KINO_NATS_URL: natsUrl,
    KINO_CLICKHOUSE_URL: clickhouseUrl,
    KINO_CLICKHOUSE_DATABASE: `kino_bench_${suffix}`,
    KINO_COLLECTOR_STREAM: `KINO_BENCH_${suffix}`,
    KINO_COLLECTOR_SUBJECT: `kino.bench.${suffix}`,
    KINO_COLLECTOR_BUFFER_MAX_BYTES: String(8 * 1024 ** 3),
  };
  const kinds = [
    ["bare", "(a) bare uWS, 204", {}],
    ["node", "(b) node:http + validation", {}],
    ["collector", "(c) collector, durable, sink off", { ...collectorEnv, KINO_COLLECTOR_RUN_SINK: "false" }],
    ["collector", "(d) collector, durable, with sink", { ...collectorEnv, KINO_CLICKHOUSE_DATABASE: `${collectorEnv.KINO_CLICKHOUSE_DATABASE}_d`, KINO_COLLECTOR_STREAM: `${collectorEnv.KINO_COLLECTOR_STREAM}_D`, KINO_COLLECTOR_SUBJECT: `${collectorEnv.KINO_COLLECTOR_SUBJECT}.d` }],
  ] as const;
  const stop = async (child: ChildProcess) => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };
  const report: string[] = [`wrk -t1 -c${connections} -d${seconds}s, median of ${rounds} interleaved rounds per server`];
  let sink = { events: 0, seconds: 0 };
  try {
    let backlog = 0;
    for (const events of shapes) {
      const runs: Record<string, WrkResult[]> = {};
      for (let round = 1; round <= rounds; round++) {
        for (const [kind, label, env] of kinds) {
          process.stderr.write(`${events} events per batch, round ${round}: ${label}…\n`);
          const { child, port } = await startServer(kind, env);
          await runWrk(port, events, 2, connections); // warm-up
          (runs[label] ??= []).push(await runWrk(port, events, seconds, connections));
          if (label.startsWith("(c)")) backlog += await metric(port, "kino_collector_buffer_published_events_total");
          await stop(child);
        }
      }
      const rate = (label: string) => median((runs[label] ?? []).map((r) => r.requestsPerSecond));
      report.push(`-- ${events} event${events === 1 ? "" : "s"} per batch${events === 1 ? " (the SDK's steady state: a heartbeat every 10 s, a flush every 5 s)" : ""}`);
      for (const [, label] of kinds) {
        const all = runs[label] ?? [];
        const failures = all.reduce((n, r) => n + r.non2xx, 0);
        const errors = all.map((r) => r.errors).filter(Boolean).join("; ");
        report.push(`${label.padEnd(34)} ${rate(label).toFixed(0).padStart(8)} batches/s ${(rate(label) * events).toFixed(0).padStart(9)} events/s  (rounds: ${all.map((r) => r.requestsPerSecond.toFixed(0)).join(", ")}; non-2xx ${failures}${errors ? `; ${errors}` : ""})`);
      }
      const [a, b, c, d] = kinds.map(([, label]) => rate(label)) as [number, number, number, number];
      report.push(`(c) / (a) bare uWS    = ${(c / a).toFixed(2)} (target >= 0.75)   (d) / (a) = ${(d / a).toFixed(2)}`);
      report.push(`(c) / (b) node:http   = ${(c / b).toFixed(2)} (target >= 1.4)    (d) / (b) = ${(d / b).toFixed(2)}`);
    }
    // The sink alone, draining what the (c) runs buffered.
    process.stderr.write(`draining ${backlog} events into ClickHouse…\n`);
    const { child, port } = await startServer("collector", collectorEnv);
    const started = Date.now();
    let inserted = 0;
    const giveUpAt = Date.now() + 180_000;
    while (inserted < backlog && Date.now() < giveUpAt) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      inserted = await metric(port, "kino_collector_sink_inserted_events_total");
      process.stderr.write(`\r${inserted}`);
    }
    process.stderr.write("\n");
    if (inserted < backlog) process.stderr.write(`sink stalled: ${inserted} of ${backlog} events inserted after 180 s\n`);
    sink = { events: inserted, seconds: (Date.now() - started) / 1000 };
    await stop(child);
    const store = createAnalyticsStore({ url: clickhouseUrl, database: collectorEnv.KINO_CLICKHOUSE_DATABASE });
    const [stored] = await (await store.client.query({ query: `SELECT count() AS rows, uniqExact(event_id) AS ids FROM ${store.database}.events`, format: "JSONEachRow" })).json<{ rows: string; ids: string }>();
    await store.close();
    report.push(`in ClickHouse after the drain: ${stored?.rows} rows, ${stored?.ids} distinct event ids (the (c) runs acknowledged ${backlog} or a few more: the count is read as wrk stops)`);
  } finally {
    const store = createAnalyticsStore({ url: clickhouseUrl, database: collectorEnv.KINO_CLICKHOUSE_DATABASE });
    for (const database of [store.database, `${store.database}_d`]) {
      await store.client.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
    }
    await store.close();
    await deleteEventStream(natsUrl, collectorEnv.KINO_COLLECTOR_STREAM);
    await deleteEventStream(natsUrl, `${collectorEnv.KINO_COLLECTOR_STREAM}_D`);
  }
  report.push(`sink into ClickHouse  = ${sink.events} events in ${sink.seconds.toFixed(1)} s = ${(sink.events / sink.seconds).toFixed(0)} events/s (target >= 80000)`);
  console.log(report.join("\n"));
}

const serve = args.serve;
if (serve) {
  const port = serve === "bare" ? await serveBare() : serve === "node" ? await serveNodeHttp() : await serveCollector();
  process.stdout.write(`port ${port}\n`);
} else {
  await drive();
}
