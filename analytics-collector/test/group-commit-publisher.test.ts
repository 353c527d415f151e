import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, type JetStreamManager, type NatsConnection } from "nats";
import { KinoError } from "@kino/platform";
import { requireTestEnv } from "@kino/testkit";
import { deleteEventStream, ensureEventStream } from "../src/buffer/event-stream.ts";
import { GroupCommitPublisher, rowsHeader } from "../src/buffer/group-commit-publisher.ts";
import { uniqueNames } from "./support/test-names.ts";

const natsUrl = requireTestEnv("KINO_TEST_NATS_URL");
const maxMessageBytes = 4096;

/** Rows of assorted lengths, some with multi-byte UTF-8, as event rows may carry. */
function makeRows(request: number, count: number): string[] {
  const texts = ["", "é", "日本語", "🎬 clip", "x".repeat(700)];
  return Array.from({ length: count }, (_, i) => JSON.stringify({ request, i, text: texts[(request + i) % texts.length]!.repeat(1 + (i % 3)) }));
}

/** Every message in the stream, in order, as its Kino-Rows header and its lines. */
async function storedMessages(jsm: JetStreamManager, stream: string) {
  const info = await jsm.streams.info(stream);
  const messages: { rowsHeader: number; bytes: number; lines: string[] }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    const text = new TextDecoder().decode(message.data);
    assert.ok(text.endsWith("\n"), "a message ends with a whole row");
    messages.push({ rowsHeader: Number(message.header.get(rowsHeader)), bytes: message.data.byteLength, lines: text.slice(0, -1).split("\n") });
  }
  return messages;
}

describe("group-commit publisher", () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];

  before(async () => {
    nc = await connect({ servers: natsUrl });
    jsm = await nc.jetstreamManager();
  });
  after(async () => {
    await nc.close();
    for (const stream of streams) await deleteEventStream(natsUrl, stream);
  });

  async function publisherOnNewStream(maxPendingBytes = 64 * 1024 * 1024, isConnected?: () => boolean) {
    const names = uniqueNames("publisher");
    streams.push(names.stream);
    await ensureEventStream(jsm, { name: names.stream, subject: names.subject, maxBytes: 256 * 1024 * 1024, maxMessageBytes: maxMessageBytes + 1024 });
    const publisher = new GroupCommitPublisher({ js: nc.jetstream(), subject: names.subject, maxMessageBytes, maxPendingBytes, maxInFlight: 2, publishTimeoutMs: 5000, isConnected });
    return { publisher, stream: names.stream };
  }

  test("messages hold exactly the rows published, in order, while message buffers are reused", async () => {
    const { publisher, stream } = await publisherOnNewStream();
    const published: string[] = [];
    // Waves of concurrent requests: later waves write into buffers that earlier acknowledgements freed.
    for (let wave = 0; wave < 20; wave++) {
      const requests = Array.from({ length: 25 }, (_, r) => makeRows(wave * 25 + r, 1 + ((wave + r) % 9)));
      for (const rows of requests) published.push(...rows);
      await Promise.all(requests.map((rows) => publisher.publish(rows)));
    }
    assert.equal(publisher.pending, 0);
    const messages = await storedMessages(jsm, stream);
    assert.ok(messages.length > 20, `rows were grouped into ${messages.length} messages`);
    for (const message of messages) {
      assert.ok(message.bytes <= maxMessageBytes, `a message of ${message.bytes} bytes exceeds ${maxMessageBytes}`);
      assert.equal(message.rowsHeader, message.lines.length);
    }
    assert.deepEqual(
      messages.flatMap((m) => m.lines),
      published,
    );
  });

  test("a request larger than a message waits for every message holding its rows", async () => {
    const { publisher, stream } = await publisherOnNewStream();
    const rows = makeRows(1, 60);
    const bytes = Buffer.byteLength(rows.join("\n") + "\n");
    assert.ok(bytes > 3 * maxMessageBytes);
    await publisher.publish(rows);
    const messages = await storedMessages(jsm, stream);
    assert.ok(messages.length >= 4);
    assert.deepEqual(
      messages.flatMap((m) => m.lines),
      rows,
    );
  });

  test("past maxPendingBytes a request fails at once with resource_exhausted and none of its rows is sent", async () => {
    const { publisher, stream } = await publisherOnNewStream(2048);
    const accepted = makeRows(1, 2);
    const first = publisher.publish(accepted);
    await assert.rejects(publisher.publish(makeRows(2, 4)), (error: unknown) => KinoError.is(error, "resource_exhausted"));
    await first;
    const messages = await storedMessages(jsm, stream);
    assert.deepEqual(
      messages.flatMap((m) => m.lines),
      accepted,
    );
  });

  test("while NATS is unreachable, requests fail at once with unavailable, and rows accepted just before are refused, not queued", async () => {
    let connected = true;
    const { publisher, stream } = await publisherOnNewStream(undefined, () => connected);
    await publisher.publish(makeRows(1, 3));
    const acceptedBeforeTheDrop = publisher.publish(makeRows(2, 3));
    connected = false;
    await assert.rejects(publisher.publish(makeRows(3, 3)), (error: unknown) => KinoError.is(error, "unavailable"));
    await assert.rejects(acceptedBeforeTheDrop, (error: unknown) => KinoError.is(error, "unavailable"));
    assert.equal(publisher.pending, 0);
    await publisher.flush();
    connected = true;
    await publisher.publish(makeRows(4, 2));
    const messages = await storedMessages(jsm, stream);
    assert.deepEqual(
      messages.flatMap((m) => m.lines),
      [...makeRows(1, 3), ...makeRows(4, 2)],
    );
  });
});
