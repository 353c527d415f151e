import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, headers } from "nats";
import { jsonBatch, sdkView } from "./support/sdk-views.ts";
import { eventually, startTestCollector, type RunningCollector } from "./support/test-collector.ts";

describe("ClickHouse sink", () => {
  let c: RunningCollector;
  before(async () => {
    c = await startTestCollector("sink");
  });
  after(() => c.stop());

  test("a buffered message ClickHouse refuses is parked, not lost, and does not block the others", async () => {
    const videoId = `sink-video-${Date.now()}`;
    // What a bad deploy could leave in the buffer: a row the schema cannot parse.
    const nc = await connect({ servers: c.config.natsUrl });
    try {
      const h = headers();
      h.set("Kino-Rows", "1");
      await nc.jetstream().publish(c.config.subject, Buffer.from(`{"event_id":"poison","video_id":"${videoId}","event_time":"not-a-time"}\n`), { headers: h });

      const events = sdkView({ videoId, viewerId: "viewer-sink", heartbeats: 2 });
      const response = await fetch(`${c.url}/v1/events`, { method: "POST", body: jsonBatch(events), headers: { "content-type": "application/json" } });
      assert.equal(response.status, 200);

      const count = async () => {
        const result = await c.store.client
          .query({ query: `SELECT count() AS n FROM ${c.store.database}.events WHERE video_id = '${videoId}'`, format: "JSONEachRow" })
          .catch(() => undefined);
        return result ? Number((await result.json<{ n: string }>())[0]?.n ?? 0) : 0;
      };
      await eventually(count, (n) => n === events.length);
      const metrics = await (await fetch(`${c.url}/metrics`)).text();
      assert.match(metrics, /kino_collector_sink_parked_messages_total\{[^}]*\} 1/);
      // The good message's ack reaches the server just after its insert; the refused one stays.
      const jsm = await nc.jetstreamManager();
      const left = await eventually(async () => (await jsm.streams.info(c.config.streamName)).state.messages, (n) => n <= 1, 5000);
      assert.equal(left, 1, "the refused message stays in the buffer");
    } finally {
      await nc.close();
    }
  });
});
