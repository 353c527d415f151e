import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { HealthService } from "@kino/grpc";
import { callDynamic, openReflectionProbe, reflectedRegistry, streamDynamic } from "@kino/grpc/testing";
import { VideoLifecycleService } from "@kino/proto/catalog/v1";
import { startDiscoveryStack, type DiscoveryStack } from "./grpc-discovery-stack.ts";
import { alice as aliceUser, aliceKey } from "./start-test-stack.ts";

// The gateway's port speaks gRPC too: strict clients discover its public
// services through reflection, probe its health, and hear UNIMPLEMENTED for
// what it does not serve.
let stack: DiscoveryStack;
before(async () => {
  stack = await startDiscoveryStack();
});
after(() => stack.close());

const alice = () => {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${aliceKey}`);
  return metadata;
};

async function rejectsWithStatus(promise: Promise<unknown>, code: status, message: RegExp) {
  await assert.rejects(promise, (error: ServiceError) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.details, message);
    return true;
  });
}

for (const version of ["v1", "v1alpha"] as const) {
  test(`reflection ${version} lists the public services only, and a registry from its answers calls GetVideo`, async () => {
    const { services, registry } = await reflectedRegistry(stack.gatewayAddress, version);
    assert.deepEqual(services, [
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "kino.analytics.v1.AnalyticsService",
      "kino.auth.v1.AuthService",
      "kino.catalog.v1.CatalogService",
      "kino.catalog.v1.EngagementService",
      "kino.notify.v1.NotifyService",
      "kino.playback.v1.PlaybackService",
      "kino.search.v1.SearchService",
      "kino.upload.v1.UploadService",
    ]);
    const catalog = registry.getService("kino.catalog.v1.CatalogService")!;
    const created = (await callDynamic(stack.gatewayAddress, catalog.method.createVideo!, { title: "via gateway reflection" }, alice())) as unknown as {
      video: { id: string };
    };
    const got = (await callDynamic(stack.gatewayAddress, catalog.method.getVideo!, { id: created.video.id }, alice())) as unknown as {
      video: { title: string; ownerId: string; createTime: { $typeName: string } };
    };
    assert.deepEqual([got.video.title, got.video.ownerId, got.video.createTime.$typeName], ["via gateway reflection", aliceUser.userId, "google.protobuf.Timestamp"]);
  });
}

test("the internal lifecycle service is neither listed nor describable through the gateway", async () => {
  const probe = openReflectionProbe(stack.gatewayAddress);
  try {
    for (const symbol of ["kino.catalog.v1.VideoLifecycleService", "kino.catalog.v1.VideoLifecycleService.MarkReady", "kino.catalog.v1.MarkReadyRequest"]) {
      const { messageResponse } = await probe.ask({ case: "fileContainingSymbol", value: symbol });
      assert.equal(messageResponse.case, "errorResponse", symbol);
      assert.equal(messageResponse.value.errorCode, status.NOT_FOUND);
    }
    const upload = await probe.files({ case: "fileContainingSymbol", value: "kino.upload.v1.UploadService.CreateUpload" });
    assert.equal(upload[0]?.name, "kino/upload/v1/upload_service.proto");
  } finally {
    probe.close();
  }
});

const check = (service: string) =>
  callDynamic(stack.gatewayAddress, HealthService.method.check!, { service }).then((r) => (r as unknown as { status: number }).status);
const watch = (service: string) => streamDynamic(stack.gatewayAddress, HealthService.method.watch!, { service });
const [serving, notServing, serviceUnknown] = [1, 2, 3];

function nextStatus(stream: ReturnType<typeof watch>): Promise<number> {
  return new Promise((resolve, reject) => {
    stream.once("data", (message) => resolve((message as unknown as { status: number }).status));
    stream.once("error", reject);
  });
}

describe("grpc.health.v1.Health on the gateway", () => {
  test("reports each public service by the upstream it needs", async () => {
    assert.equal(await check(""), serving);
    assert.equal(await check("kino.catalog.v1.CatalogService"), serving);
    assert.equal(await check("kino.upload.v1.UploadService"), serving);
    assert.equal(await check("kino.analytics.v1.AnalyticsService"), notServing, "nothing listens at the analytics address");
    await rejectsWithStatus(check("kino.catalog.v1.VideoLifecycleService"), status.NOT_FOUND, /unknown service/);
  });

  test("Watch sends the status at once, and SERVICE_UNKNOWN for a service it does not route", async () => {
    const gateway = watch("");
    const lifecycle = watch("kino.catalog.v1.VideoLifecycleService");
    try {
      assert.equal(await nextStatus(gateway), serving);
      assert.equal(await nextStatus(lifecycle), serviceUnknown);
    } finally {
      gateway.close();
      lifecycle.close();
    }
  });
});

describe("methods the gateway does not serve", () => {
  test("gRPC callers get UNIMPLEMENTED naming the method", async () => {
    await rejectsWithStatus(
      callDynamic(stack.gatewayAddress, VideoLifecycleService.method.markReady, { videoId: "x" }, alice()),
      status.UNIMPLEMENTED,
      /method kino\.catalog\.v1\.VideoLifecycleService\/MarkReady is not implemented/,
    );
  });

  test("gRPC-Web callers get UNIMPLEMENTED naming the method", async () => {
    const lifecycle = createClient(VideoLifecycleService, createGrpcWebTransport({ baseUrl: `http://${stack.gatewayAddress}`, httpVersion: "1.1" }));
    await assert.rejects(lifecycle.markReady({ videoId: "x" }), (error: unknown) => {
      const connectError = ConnectError.from(error);
      assert.equal(connectError.code, Code.Unimplemented);
      assert.match(connectError.rawMessage, /VideoLifecycleService\/MarkReady/);
      return true;
    });
    const raw = await fetch(`http://${stack.gatewayAddress}/kino.catalog.v1.CatalogService/NoSuchMethod`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: new Uint8Array(5),
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("grpc-status"), "12");
    assert.match(decodeURIComponent(raw.headers.get("grpc-message") ?? ""), /kino\.catalog\.v1\.CatalogService\/NoSuchMethod/);
  });

  test("Connect callers get the Connect error; a POST to a path that is no RPC stays a plain 404", async () => {
    const connect = await fetch(`http://${stack.gatewayAddress}/kino.catalog.v1.CatalogService/NoSuchMethod`, {
      method: "POST",
      headers: { "content-type": "application/json", "connect-protocol-version": "1" },
      body: "{}",
    });
    assert.equal(connect.status, 404);
    assert.deepEqual(await connect.json(), { code: "unimplemented", message: "method kino.catalog.v1.CatalogService/NoSuchMethod is not implemented by this server" });
    // (A GET of such a path is the web app's: it routes in the browser.)
    const plain = await fetch(`http://${stack.gatewayAddress}/no/such/page`, { method: "POST", body: "x" });
    assert.equal(plain.status, 404);
    assert.equal(await plain.text(), "");
  });
});

// Last: it stops the catalog.
test("when the catalog stops, Check and an open Watch turn NOT_SERVING", async () => {
  const catalog = watch("kino.catalog.v1.CatalogService");
  try {
    assert.equal(await nextStatus(catalog), serving);
    await stack.stopCatalog();
    assert.equal(await nextStatus(catalog), notServing);
    assert.equal(await check(""), notServing);
    assert.equal(await check("kino.upload.v1.UploadService"), notServing);
  } finally {
    catalog.close();
  }
});
