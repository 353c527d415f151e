import assert from "node:assert/strict";
import { connect as connectHttp2 } from "node:http2";
import { connect as connectTcp, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startTestCatalog } from "@kino/catalog-service/testing";
import { silentLogger } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { aliceKey, testGatewayConfig } from "./start-test-stack.ts";

const timeouts = { firstBytesTimeoutMs: 400, headersTimeoutMs: 600, idleTimeoutMs: 600 };

let catalog: Awaited<ReturnType<typeof startTestCatalog>>;
let gateway: RunningGateway;
let port: number;

before(async () => {
  catalog = await startTestCatalog();
  gateway = await startGateway({ config: testGatewayConfig(catalog.catalog.grpcPort, timeouts), logger: silentLogger() });
  port = gateway.port;
});
after(async () => {
  await gateway.close();
  await catalog.close();
});

/** Opens a TCP connection, sends `bytes`, and resolves with how long the server kept it open and what it answered. */
function heldFor(bytes: string | Buffer, limitMs = 5000): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connectTcp(port, "127.0.0.1", () => {
      if (bytes.length > 0) socket.write(bytes);
    });
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(guard);
      resolve({ ms: Date.now() - started, answer });
    });
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the connection was still open after ${limitMs} ms`));
    }, limitMs);
  });
}

test("a connection that sends nothing is closed after the first-bytes timeout", async () => {
  const { ms } = await heldFor("");
  assert.ok(ms >= 300 && ms < 2000, `held for ${ms} ms`);
});

test("half an HTTP/2 preface, or a preface without SETTINGS, is closed too", async () => {
  const half = await heldFor("PRI * HTTP/2.0\r\n");
  assert.ok(half.ms < 2000, `half a preface held for ${half.ms} ms`);
  const prefaceOnly = await heldFor("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  assert.ok(prefaceOnly.ms < 2000, `a preface without SETTINGS held for ${prefaceOnly.ms} ms`);
});

test("HTTP/1.1 headers that never end are answered 408 and closed", async () => {
  const { ms, answer } = await heldFor("GET /healthz HTTP/1.1\r\nHost: kino\r\nX-Slow: ");
  assert.ok(ms < 2500, `held for ${ms} ms`);
  assert.match(answer, /^HTTP\/1\.1 408/);
});

test("an idle HTTP/2 connection gets GOAWAY; one with a long-lived stream does not", async () => {
  const transportSession = connectHttp2(`http://127.0.0.1:${port}`);
  const closed = new Promise<number>((resolve) => transportSession.once("close", () => resolve(Date.now())));
  const opened = Date.now();
  const healthz = transportSession.request({ ":path": "/healthz" });
  healthz.resume();
  await new Promise((resolve) => healthz.once("close", resolve));
  const at = await Promise.race([closed, sleep(3000).then(() => undefined)]);
  assert.ok(at !== undefined, "an idle HTTP/2 connection was still open after 3 s");
  assert.ok(at - opened >= 500, `closed ${at - opened} ms after opening, before the idle timeout`);

  // WatchVideo waits quietly for minutes while a video is queued: its connection must stay.
  const client = createClient(CatalogService, createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: "2" }));
  const auth = { headers: { authorization: `Bearer ${aliceKey}` } };
  const { video } = await client.createVideo({ title: "watched" }, auth);
  const updates: string[] = [];
  const watching = (async () => {
    for await (const message of client.watchVideo({ id: video!.id }, auth)) {
      updates.push(message.video!.status.toString());
      if (updates.length === 2) return;
    }
  })();
  await sleep(1500);
  await client.deleteVideo({ id: video!.id }, auth);
  await watching;
  assert.equal(updates.length, 2, "the stream stayed open past the idle timeout and saw the delete");
});
