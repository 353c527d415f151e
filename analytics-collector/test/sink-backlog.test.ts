import assert from "node:assert/strict";
import { test } from "node:test";
import { connect, headers } from "nats";
import { createAnalyticsStore } from "@kino/analytics-store";
import { silentLogger } from "@kino/platform";
import { requireTestEnv } from "@kino/testkit";
import { ensureEventStream, ensureSinkConsumer } from "../src/buffer/event-stream.ts";
import { rowsHeader } from "../src/buffer/group-commit-publisher.ts";
import { ClickHouseSink } from "../src/sink/clickhouse-sink.ts";
import { dropTestResources, eventually, storedCounts } from "./support/test-collector.ts";
import { uniqueNames } from "./support/test-names.ts";

const maxMessageBytes = 1024 * 1024;
const fetchBudgetBytes = 8 * 1024 * 1024;

/** A group-committed message of about maxMessageBytes: JSONEachRow rows, as the collector publishes them. */
function bigMessage(message: number, videoId: string): { data: Buffer; rows: number } {
  const now = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; ; i++) {
    const line = `${JSON.stringify({
      event_id: `backlog-${message}-${i}`,
      view_id: `view-${message}`,
      viewer_id: "viewer-backlog",
      video_id: videoId,
      event_type: "error",
      event_time: now,
      received_at: now,
      error_message: "m".repeat(400),
    })}\n`;
    if (bytes + line.length > maxMessageBytes - 1024) break;
    lines.push(line);
    bytes += line.length;
  }
  return { data: Buffer.from(lines.join("")), rows: lines.length };
}

test("a backlog of large messages is pulled within the fetch budget, not all at once, and lands exactly once", async () => {
  const natsUrl = requireTestEnv("KINO_TEST_NATS_URL");
  const names = uniqueNames("backlog");
  const store = createAnalyticsStore({ url: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"), database: names.database });
  const nc = await connect({ servers: natsUrl });
  const jsm = await nc.jetstreamManager();
  const inserts: number[] = [];
  let sink: ClickHouseSink | undefined;
  try {
    await ensureEventStream(jsm, { name: names.stream, subject: names.subject, maxBytes: 256 * 1024 * 1024, maxMessageBytes });
    await ensureSinkConsumer(jsm, { stream: names.stream, name: names.consumer, ackWaitMs: 30_000, maxAckPending: 10_000 });
    // What a restart after an outage finds: 24 MiB waiting, more than the sink may hold at once.
    const js = nc.jetstream();
    let rows = 0;
    let rowsPerMessage = 0; // the most in one message
    for (let m = 0; m < 24; m++) {
      const message = bigMessage(m, `video-${names.consumer}`);
      const h = headers();
      h.set(rowsHeader, String(message.rows));
      await js.publish(names.subject, message.data, { headers: h });
      rows += message.rows;
      rowsPerMessage = Math.max(rowsPerMessage, message.rows);
    }

    sink = new ClickHouseSink({
      js,
      stream: names.stream,
      consumer: names.consumer,
      store,
      batchRows: 10_000,
      maxDelayMs: 200,
      ackWaitMs: 30_000,
      maxMessageBytes,
      logger: silentLogger(),
      onInserted: (inserted) => inserts.push(inserted),
    });
    sink.start();
    // Rows are visible in ClickHouse a moment before the sink hears its insert succeeded: wait for both.
    await eventually(async () => inserts.reduce((sum, n) => sum + n, 0), (inserted) => inserted >= rows, 60_000);

    assert.deepEqual(await storedCounts(store), { unique: rows, rows });
    const mostPerInsert = Math.floor(fetchBudgetBytes / maxMessageBytes) * rowsPerMessage;
    assert.ok(inserts.length >= 3, `the backlog came in several inserts, not ${inserts.length}`);
    assert.ok(Math.max(...inserts) <= mostPerInsert, `no insert held more than the fetch budget: ${inserts.join(", ")} rows (at most ${mostPerInsert})`);
    assert.equal((await jsm.streams.info(names.stream)).state.messages, 0, "every message was acknowledged");
  } finally {
    await sink?.stop();
    await nc.close();
    await dropTestResources({ clickhouseDatabase: names.database, natsUrl, streamName: names.stream }, store);
  }
});
