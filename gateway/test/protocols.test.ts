import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { CatalogService, VideoStatus } from "@kino/proto/catalog/v1";
import { alice, aliceKey, bobKey, startTestStack, type TestStack } from "./start-test-stack.ts";

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

const transports: Record<string, (baseUrl: string) => Transport> = {
  "Connect binary over HTTP/1.1": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
  "Connect JSON over HTTP/2": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" }),
  "gRPC-Web binary over HTTP/1.1": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
  "gRPC over HTTP/2": (baseUrl) => createGrpcTransport({ baseUrl }),
};

function bearer(key: string) {
  return { headers: { authorization: `Bearer ${key}` } };
}

async function rejectsWithCode(promise: Promise<unknown>, code: Code, message?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    const connectError = ConnectError.from(error);
    assert.equal(connectError.code, code, `expected ${Code[code]}, got ${Code[connectError.code]}: ${connectError.rawMessage}`);
    if (message) assert.match(connectError.rawMessage, message);
    return true;
  });
}

for (const [name, makeTransport] of Object.entries(transports)) {
  describe(name, () => {
    let client: Client<typeof CatalogService>;
    before(() => {
      client = createClient(CatalogService, makeTransport(stack.baseUrl));
    });

    test("creates, lists, updates and deletes through the gateway", async () => {
      const { video } = await client.createVideo({ title: `via ${name}` }, bearer(aliceKey));
      assert.equal(video?.ownerId, alice.userId);
      assert.equal(video?.status, VideoStatus.UPLOADING);
      const listed = await client.listVideos({ ownerId: alice.userId }, bearer(aliceKey));
      assert.ok(listed.videos.some((v) => v.id === video!.id));
      const updated = await client.updateVideo({ id: video!.id, description: "d", expectedVersion: 1n }, bearer(aliceKey));
      assert.equal(updated.video?.version, 2n);
      await client.deleteVideo({ id: video!.id }, bearer(aliceKey));
      await rejectsWithCode(client.getVideo({ id: video!.id }, bearer(aliceKey)), Code.NotFound);
    });

    test("maps service errors to their codes with readable messages", async () => {
      await rejectsWithCode(client.createVideo({ title: "" }, bearer(aliceKey)), Code.InvalidArgument, /title must not be empty/);
      await rejectsWithCode(client.getVideo({ id: "abcdefghij0123456789" }), Code.NotFound, /not found/);
      await rejectsWithCode(client.listVideos({ pageToken: "%%%" }), Code.InvalidArgument, /page_token/);
      await rejectsWithCode(client.createVideo({ title: "t" }), Code.Unauthenticated, /authenticated caller/);
      await rejectsWithCode(client.createVideo({ title: "t" }, bearer("not-a-real-token-at-all")), Code.Unauthenticated, /access token is not valid/);
      await rejectsWithCode(client.createVideo({ title: "t" }, bearer("kino_abcdefgh_not-a-real-key")), Code.Unauthenticated, /API key is not valid/);
      const { video } = await client.createVideo({ title: "stale" }, bearer(aliceKey));
      await client.updateVideo({ id: video!.id, title: "fresh" }, bearer(aliceKey));
      await rejectsWithCode(
        client.updateVideo({ id: video!.id, title: "lost", expectedVersion: 1n }, bearer(aliceKey)),
        Code.Aborted,
        /changed concurrently/,
      );
      await rejectsWithCode(client.deleteVideo({ id: video!.id }, bearer(bobKey)), Code.NotFound);
    });
  });
}

test("Connect JSON with plain curl-style requests", async () => {
  const created = await fetch(`${stack.baseUrl}/kino.catalog.v1.CatalogService/CreateVideo`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${aliceKey}` },
    body: JSON.stringify({ title: "json" }),
  });
  assert.equal(created.status, 200);
  const body = (await created.json()) as { video: { id: string; status: string; version: string } };
  assert.equal(body.video.status, "VIDEO_STATUS_UPLOADING");
  assert.equal(body.video.version, "1");

  const missing = await fetch(`${stack.baseUrl}/kino.catalog.v1.CatalogService/GetVideo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: "abcdefghij0123456789" }),
  });
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { code: "not_found", message: "video abcdefghij0123456789 not found" });

  const malformed = await fetch(`${stack.baseUrl}/kino.catalog.v1.CatalogService/CreateVideo`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${aliceKey}` },
    body: "{not json",
  });
  assert.equal(malformed.status, 400);
  assert.equal(((await malformed.json()) as { code: string }).code, "invalid_argument");
});

test("CORS preflight allows browsers to call the API", async () => {
  const response = await fetch(`${stack.baseUrl}/kino.catalog.v1.CatalogService/ListVideos`, {
    method: "OPTIONS",
    headers: {
      origin: "https://app.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,authorization,connect-protocol-version",
    },
  });
  assert.equal(response.status, 204);
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  const allowed = response.headers.get("access-control-allow-headers")!.toLowerCase();
  for (const header of ["content-type", "authorization", "connect-protocol-version", "x-grpc-web"]) {
    assert.ok(allowed.includes(header), `${header} allowed`);
  }
});

test("/healthz and /metrics answer on the public port", async () => {
  const health = await fetch(`${stack.baseUrl}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { ok: true, checks: { catalog: { ok: true } } });
  const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
  assert.match(metrics, /kino_gateway_requests_total\{route="rpc",status="200",process="gateway"\} \d+/);
  assert.match(metrics, /process_cpu_seconds_total/);
});

test("a grpc-js client (another gRPC stack) calls the gateway over HTTP/2", async () => {
  const { createGrpcClient } = await import("@kino/grpc");
  const client = createGrpcClient(CatalogService, `127.0.0.1:${stack.gateway.port}`);
  try {
    const { video } = await client.createVideo({ title: "grpc-js" }, { headers: { authorization: `Bearer ${aliceKey}` } });
    assert.equal(video?.ownerId, alice.userId);
    await assert.rejects(client.getVideo({ id: "abcdefghij0123456789" }), (error: { code: number; details: string }) => {
      assert.equal(error.code, Code.NotFound);
      assert.match(error.details, /not found/);
      return true;
    });
  } finally {
    client.close();
  }
});

test("a client cannot claim an identity by sending the internal caller header", async () => {
  const response = await fetch(`${stack.baseUrl}/kino.catalog.v1.CatalogService/CreateVideo`, {
    method: "POST",
    headers: { "content-type": "application/json", "kino-caller-id": alice.userId, "kino-caller-assertion": "forged" },
    body: JSON.stringify({ title: "spoofed" }),
  });
  assert.equal(response.status, 401);
});
