import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { jsonBatch, sdkView } from "./support/sdk-views.ts";
import { eventually, startTestCollector, type RunningCollector } from "./support/test-collector.ts";

/** Countries stored for a video's events, one entry per distinct value. */
async function storedCountries(c: RunningCollector, videoId: string): Promise<string[]> {
  const result = await c.store.client
    .query({
      // ClickHouse 18.16 has no query parameters; the ids are this file's own.
      query: `SELECT DISTINCT country FROM ${c.store.database}.events WHERE video_id = '${videoId}'`,
      format: "JSONEachRow",
    })
    .catch(() => undefined); // the sink creates the table on its first run
  return result ? (await result.json<{ country: string }>()).map((row) => row.country) : [];
}

async function postBatch(c: RunningCollector, videoId: string, headers: Record<string, string>): Promise<void> {
  const body = jsonBatch(sdkView({ videoId, viewerId: "viewer-ip", heartbeats: 1 }));
  const response = await fetch(`${c.url}/v1/events`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  assert.equal(response.status, 200);
}

async function sendOverWebSocket(c: RunningCollector, videoId: string, headers: Record<string, string>): Promise<void> {
  const ws = new WebSocket(`${c.url.replace("http", "ws")}/v1/events/ws`, { headers });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const ack = new Promise((resolve) => ws.once("message", resolve));
  ws.send(jsonBatch(sdkView({ videoId, viewerId: "viewer-ip", heartbeats: 1 })));
  await ack;
  ws.close();
}

// 81.2.69.142 is in GB in the bundled database; the collector's peer is the loopback address, which has no country.
const proxied = { "x-forwarded-for": "6.6.6.6, 81.2.69.142" };

describe("client address for the country", () => {
  let direct: RunningCollector;
  let behindProxy: RunningCollector;

  before(async () => {
    [direct, behindProxy] = await Promise.all([startTestCollector("ipdirect"), startTestCollector("ipproxy", { KINO_COLLECTOR_TRUST_PROXY: "true" })]);
  });
  after(() => Promise.all([direct.stop(), behindProxy.stop()]));

  test("without a trusted proxy, X-Forwarded-For is ignored and the socket's peer decides", async () => {
    const [http, ws] = [`ip-direct-http-${Date.now()}`, `ip-direct-ws-${Date.now()}`];
    await postBatch(direct, http, proxied);
    await sendOverWebSocket(direct, ws, proxied);
    for (const videoId of [http, ws]) {
      assert.deepEqual(await eventually(() => storedCountries(direct, videoId), (countries) => countries.length > 0), [""]);
    }
  });

  test("behind a trusted proxy, the last X-Forwarded-For entry decides, and the socket's peer without one", async () => {
    const [http, ws, none] = [`ip-proxy-http-${Date.now()}`, `ip-proxy-ws-${Date.now()}`, `ip-proxy-none-${Date.now()}`];
    await postBatch(behindProxy, http, proxied);
    await sendOverWebSocket(behindProxy, ws, proxied);
    await postBatch(behindProxy, none, {});
    for (const videoId of [http, ws]) {
      assert.deepEqual(await eventually(() => storedCountries(behindProxy, videoId), (countries) => countries.length > 0), ["GB"]);
    }
    assert.deepEqual(await eventually(() => storedCountries(behindProxy, none), (countries) => countries.length > 0), [""]);
  });
});
