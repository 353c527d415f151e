import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import WebSocket from "ws";
import { IngestResponseSchema } from "@kino/proto/analytics/v1";
import { binaryBatch, jsonBatch, jsonEvent, sdkView } from "./support/sdk-views.ts";
import { eventually, startTestCollector, type RunningCollector } from "./support/test-collector.ts";

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once("message", (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

describe("WebSocket /v1/events/ws", () => {
  let c: RunningCollector;
  let wsUrl: string;

  before(async () => {
    c = await startTestCollector("ws", { KINO_COLLECTOR_WS_MAX_BACKPRESSURE_BYTES: "65536" });
    wsUrl = `${c.url.replace("http", "ws")}/v1/events/ws`;
  });
  after(() => c.stop());

  async function storedCount(videoId: string): Promise<number> {
    const result = await c.store.client
      .query({ query: `SELECT uniqExact(event_id) AS n FROM ${c.store.database}.events WHERE video_id = '${videoId}'`, format: "JSONEachRow" })
      .catch(() => undefined);
    return result ? Number((await result.json<{ n: string }>())[0]?.n ?? 0) : 0;
  }

  test("each batch gets an acknowledgement in its own format; a bad batch does not end the session", async () => {
    const videoId = `ws-video-${Date.now()}`;
    const events = sdkView({ videoId, viewerId: "viewer-ws", heartbeats: 2 });
    const ws = await open(wsUrl);

    const textAck = nextMessage(ws);
    ws.send(jsonBatch(events.slice(0, 2), "t1"));
    const text = await textAck;
    assert.equal(text.isBinary, false);
    assert.deepEqual(JSON.parse(text.data.toString()), { batchId: "t1", acceptedCount: 2, rejected: [], clampedCount: 0 });

    const badAck = nextMessage(ws);
    ws.send("{not json");
    const bad = JSON.parse((await badAck).data.toString()) as { status: number; error: { code: string } };
    assert.equal(bad.status, 400);
    assert.equal(bad.error.code, "invalid_argument");

    const binaryAck = nextMessage(ws);
    ws.send(binaryBatch(events.slice(2), "b1"));
    const binary = await binaryAck;
    assert.equal(binary.isBinary, true);
    const ack = fromBinary(IngestResponseSchema, binary.data);
    assert.equal(ack.batchId, "b1");
    assert.equal(ack.acceptedCount, events.length - 2);
    ws.close();

    await eventually(() => storedCount(videoId), (n) => n === events.length);
  });

  test("a client that never reads its acknowledgements is closed cleanly; what was acknowledged is stored", async () => {
    const videoId = `ws-slow-${Date.now()}`;
    const ws = await open(wsUrl);
    const acks: number[] = [];
    ws.on("message", (data: Buffer) => {
      const ack = JSON.parse(data.toString()) as { acceptedCount?: number };
      if (ack.acceptedCount) acks.push(ack.acceptedCount);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.pause();
    // One valid event and 999 invalid ones: each acknowledgement lists 999
    // rejections (~90 KB), so unread acknowledgements pile up fast.
    let sent = 0;
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    for (let i = 0; i < 300 && ws.readyState === WebSocket.OPEN && !isClosed; i++) {
      const events = [jsonEvent(videoId), ...Array.from({ length: 999 }, (_, k) => ({ eventId: `bad-${i}-${k}`, viewStart: {} }))];
      ws.send(JSON.stringify({ events }));
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    ws.resume();
    const { code, reason } = await closed;
    assert.equal(code, 1008);
    assert.match(reason, /not being read|unacknowledged/);
    assert.ok(acks.length < sent, `closed after ${sent} batches with ${acks.length} acknowledged`);

    const acknowledged = acks.reduce((a, b) => a + b, 0);
    const stored = await eventually(() => storedCount(videoId), (n) => n >= acknowledged);
    assert.ok(stored <= sent, "no event was invented");

    // The collector still serves everyone else.
    const other = await open(wsUrl);
    const ackPromise = nextMessage(other);
    other.send(JSON.stringify({ events: [jsonEvent(videoId)] }));
    assert.equal((JSON.parse((await ackPromise).data.toString()) as { acceptedCount: number }).acceptedCount, 1);
    other.close();
  });
});
