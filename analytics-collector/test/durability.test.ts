import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createAnalyticsStore, type AnalyticsStore } from "@kino/analytics-store";
import { parseConfig } from "@kino/platform";
import { collectorConfigSchema } from "../src/index.ts";
import { CollectorProcess } from "./support/collector-process.ts";
import { PrivateClickHouse } from "./support/private-clickhouse.ts";
import { PrivateNats } from "./support/private-nats.ts";
import { jsonBatch, sdkView } from "./support/sdk-views.ts";
import { collectorEnv, dropTestResources, eventually } from "./support/test-collector.ts";

interface Sent {
  all: Set<string>;
  acked: Set<string>;
  statuses: number[];
}

/** One batch of one SDK view; ids go to `sent.acked` only on a 200. */
interface SentView {
  /** Undefined when the connection was lost: the outcome is unknown. */
  response: Response | undefined;
  /** This batch's events only: senders run concurrently, so `sent.all` mixes theirs in. */
  eventIds: string[];
}

async function sendView(url: string, videoId: string, sent: Sent, heartbeats = 20): Promise<SentView> {
  const events = sdkView({ videoId, viewerId: `viewer-${sent.all.size % 7}`, heartbeats });
  const eventIds = events.map((e) => e.eventId);
  for (const id of eventIds) sent.all.add(id);
  try {
    const response = await fetch(`${url}/v1/events`, { method: "POST", body: jsonBatch(events), headers: { "content-type": "application/json" } });
    sent.statuses.push(response.status);
    if (response.status === 200) for (const id of eventIds) sent.acked.add(id);
    return { response, eventIds };
  } catch {
    // Connection lost: the outcome is unknown, so the events count as sent, not acknowledged.
    return { response: undefined, eventIds };
  }
}

async function storedIds(store: AnalyticsStore): Promise<string[]> {
  const result = await store.client
    .query({ query: `SELECT event_id FROM ${store.database}.events`, format: "JSONEachRow" })
    .catch(() => undefined);
  return result ? (await result.json<{ event_id: string }>()).map((r) => r.event_id) : [];
}

/** Every acknowledged event stored exactly once (physical rows, no FINAL), none that was never sent. */
function assertExactlyOnce(stored: string[], sent: Sent): void {
  assert.equal(new Set(stored).size, stored.length, "an event is stored twice");
  for (const id of sent.acked) assert.ok(stored.includes(id), `acknowledged event ${id} is missing`);
  for (const id of stored) assert.ok(sent.all.has(id), `stored event ${id} was never sent`);
}

describe("durability", () => {
  let clickhouse: PrivateClickHouse;

  before(async () => {
    clickhouse = await PrivateClickHouse.create();
  });
  after(() => clickhouse.destroy());

  test("ClickHouse down: 2xx until the buffer is full, then 503 with Retry-After; back up: every acknowledged event lands once", async () => {
    const env = collectorEnv("ch_down", { KINO_CLICKHOUSE_URL: clickhouse.url, KINO_COLLECTOR_BUFFER_MAX_BYTES: String(1024 * 1024) });
    const config = parseConfig(collectorConfigSchema, env);
    const store = createAnalyticsStore({ url: clickhouse.url, database: config.clickhouseDatabase });
    const collector = await CollectorProcess.start(env);
    const videoId = "video-outage";
    const sent: Sent = { all: new Set(), acked: new Set(), statuses: [] };
    try {
      await sendView(collector.url, videoId, sent);
      await eventually(() => storedIds(store), (ids) => ids.length === sent.acked.size);

      await clickhouse.stop();
      const ackedBeforeOutage = sent.acked.size;
      let refused: Response | undefined;
      for (let i = 0; i < 500 && !refused; i++) {
        const { response } = await sendView(collector.url, videoId, sent);
        if (response?.status === 503) refused = response;
      }
      assert.ok(refused, "the collector never answered 503");
      assert.ok(sent.acked.size > ackedBeforeOutage, "no batch was acknowledged while ClickHouse was down");
      assert.equal(refused.headers.get("retry-after"), "2");
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /buffer is full/);
      assert.deepEqual(new Set(sent.statuses), new Set([200, 503]));
      const health = await eventually(
        async () => {
          const response = await fetch(`${collector.url}/healthz`);
          return { status: response.status, body: (await response.json()) as { sink: { lastError: string | null } } };
        },
        (h) => h.body.sink.lastError !== null,
      );
      assert.equal(health.status, 200, "the collector is healthy while it can buffer");
      assert.match(health.body.sink.lastError ?? "", /ClickHouse/);

      await clickhouse.start();
      const stored = await eventually(() => storedIds(store), (ids) => ids.length >= sent.acked.size, 30_000);
      assertExactlyOnce(stored, sent);
    } finally {
      await collector.kill();
      await clickhouse.start();
      await dropTestResources(config, store);
    }
  });

  test("collector SIGKILLed under load: after a restart every acknowledged event is stored once, none invented", async () => {
    const env = collectorEnv("sigkill", { KINO_CLICKHOUSE_URL: clickhouse.url, KINO_COLLECTOR_SINK_ACK_WAIT_MS: "2000" });
    const config = parseConfig(collectorConfigSchema, env);
    const store = createAnalyticsStore({ url: clickhouse.url, database: config.clickhouseDatabase });
    let collector = await CollectorProcess.start(env);
    const sent: Sent = { all: new Set(), acked: new Set(), statuses: [] };
    try {
      let loading = true;
      const senders = Array.from({ length: 16 }, async () => {
        while (loading) await sendView(collector.url, "video-kill", sent, 10);
      });
      await eventually(async () => sent.acked.size, (n) => n > 3000, 20_000);
      await collector.kill("SIGKILL");
      loading = false;
      await Promise.all(senders);
      assert.ok(sent.all.size > sent.acked.size, "some requests were cut off by the kill");

      collector = await CollectorProcess.start(env);
      const stored = await eventually(
        () => storedIds(store),
        (ids) => [...sent.acked].every((id) => ids.includes(id)),
        30_000,
      );
      // Let anything else still buffered land before judging duplicates.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assertExactlyOnce(await storedIds(store), sent);
      assert.ok(stored.length >= sent.acked.size);
    } finally {
      await collector.kill();
      await dropTestResources(config, store);
    }
  });

  test("NATS stopped under load: 503 at once and nothing kept for a refused batch; back up: 2xx again, every acknowledged event lands once", async () => {
    const nats = await PrivateNats.create();
    const env = collectorEnv("nats_down", { KINO_NATS_URL: nats.url, KINO_CLICKHOUSE_URL: clickhouse.url });
    const config = parseConfig(collectorConfigSchema, env);
    const store = createAnalyticsStore({ url: clickhouse.url, database: config.clickhouseDatabase });
    const collector = await CollectorProcess.start(env);
    const sent: Sent = { all: new Set(), acked: new Set(), statuses: [] };
    const answers: { status: number | undefined; startedAt: number; answeredAt: number; events: string[] }[] = [];
    try {
      let loading = true;
      const senders = Array.from({ length: 8 }, async () => {
        while (loading) {
          const startedAt = Date.now();
          const { response, eventIds } = await sendView(collector.url, "video-nats-outage", sent, 10);
          answers.push({ status: response?.status, startedAt, answeredAt: Date.now(), events: eventIds });
        }
      });
      await eventually(async () => sent.acked.size, (n) => n > 1000, 20_000);

      await nats.stop();
      const stoppedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const health = await fetch(`${collector.url}/healthz`);
      assert.equal(health.status, 503, "health reports the buffer down");
      const restartingAt = Date.now();
      await nats.start();
      await eventually(async () => answers.filter((a) => a.startedAt > restartingAt && a.status === 200).length, (n) => n > 0, 15_000);
      loading = false;
      await Promise.all(senders);

      // Batches sent before the kill may be acknowledged as it happens; none sent after it until NATS is back.
      assert.deepEqual(answers.filter((a) => a.status === 200 && a.startedAt > stoppedAt && a.answeredAt < restartingAt), [], "a batch was acknowledged while NATS was down");
      const noticedAt = Math.min(...answers.filter((a) => a.status === 503 && a.startedAt > stoppedAt).map((a) => a.answeredAt));
      assert.ok(noticedAt < stoppedAt + 2000, "the outage was not noticed within 2 s");
      // Once the connection is known to be down, a batch is refused at once and handed to nobody.
      const refused = answers.filter((a) => a.startedAt > noticedAt && a.startedAt < restartingAt);
      assert.ok(refused.length > 50, `only ${refused.length} batches were sent during the outage`);
      assert.deepEqual(refused.filter((a) => a.status !== 503 || a.answeredAt - a.startedAt > 500), [], "a refusal was not immediate");

      // The sink resumes once its NATS connection and pull are back, which on a loaded CI host took over 30 s; a timeout names what is missing.
      await eventually(
        async () => {
          const stored = new Set(await storedIds(store));
          return [...sent.acked].filter((id) => !stored.has(id));
        },
        (missing) => missing.length === 0,
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const stored = await storedIds(store);
      assertExactlyOnce(stored, sent);
      const refusedEvents = new Set(refused.flatMap((a) => a.events));
      assert.deepEqual(stored.filter((id) => refusedEvents.has(id)), [], "a batch answered 503 was stored anyway, so a client's retry would count it twice");
    } finally {
      await collector.kill();
      await dropTestResources(config, store).catch(() => undefined);
      await nats.destroy();
    }
  });

  test("NATS back without its store: the collector recreates the stream and the sink's consumer, and beacons land again", async () => {
    const nats = await PrivateNats.create();
    const env = collectorEnv("nats_wiped", { KINO_NATS_URL: nats.url, KINO_CLICKHOUSE_URL: clickhouse.url });
    const config = parseConfig(collectorConfigSchema, env);
    const store = createAnalyticsStore({ url: clickhouse.url, database: config.clickhouseDatabase });
    const collector = await CollectorProcess.start(env);
    const sent: Sent = { all: new Set(), acked: new Set(), statuses: [] };
    try {
      await sendView(collector.url, "video-nats-wiped", sent);
      await eventually(() => storedIds(store), (ids) => ids.length === sent.acked.size && ids.length > 0);

      await nats.wipe();
      await nats.start();
      const ackedBefore = sent.acked.size;
      await eventually(
        async () => (await sendView(collector.url, "video-nats-wiped", sent)).response?.status,
        (status) => status === 200,
      );
      assert.ok(sent.acked.size > ackedBefore);
      const stored = await eventually(() => storedIds(store), (ids) => [...sent.acked].every((id) => ids.includes(id)), 30_000);
      assertExactlyOnce(stored, sent);
      // The new stream numbers its messages from 1 again: they are new, not redeliveries to check against ClickHouse.
      const metrics = await (await fetch(`${collector.url}/metrics`)).text();
      assert.match(metrics, /kino_collector_sink_checked_inserts_total\{[^}]*\} 0\n/);
    } finally {
      await collector.kill();
      await dropTestResources(config, store).catch(() => undefined);
      await nats.destroy();
    }
  });
});
