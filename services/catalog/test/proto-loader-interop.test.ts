import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { credentials, loadPackageDefinition, Metadata, type GrpcObject, type ServiceClientConstructor } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { callerAssertionMetadataKey } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { protoRoot } from "@kino/proto/proto-root";
import { startTestCatalog, type TestCatalog } from "./start-test-catalog.ts";

// A client built the way any grpc-js user would, straight from the .proto
// files, with no Kino code on the wire path: proves the service speaks the
// canonical protocol, health checking and reflection included.
let env: TestCatalog;
before(async () => {
  env = await startTestCatalog();
});
after(() => env.close());

function call<T>(client: Record<string, Function>, method: string, request: object, metadata = new Metadata()): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method]!.call(client, request, metadata, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))),
  );
}

test("a @grpc/proto-loader client creates, lists and reads videos", async () => {
  const definition = loadSync("kino/catalog/v1/catalog_service.proto", {
    includeDirs: [protoRoot],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
  });
  const pkg = loadPackageDefinition(definition) as GrpcObject;
  const Catalog = ((pkg.kino as GrpcObject).catalog as GrpcObject).v1 as GrpcObject;
  const Client = Catalog.CatalogService as ServiceClientConstructor;
  const client = new Client(env.address, credentials.createInsecure()) as unknown as Record<string, Function> & { close(): void };
  const metadata = new Metadata();
  // What any other stack does once it holds the gateway's key: send a signed assertion as metadata.
  const gateway = testServiceCredentials().minter("gateway");
  metadata.set(callerAssertionMetadataKey, gateway.assertionFor("kino.catalog.v1.CatalogService", { userId: "interop-user" }));
  try {
    const created = await call<{ video: { id: string; status: string; version: string; title: string } }>(
      client, "CreateVideo", { title: "from proto-loader" }, metadata,
    );
    assert.equal(created.video.status, "VIDEO_STATUS_UPLOADING");
    assert.equal(created.video.version, "1");
    const listed = await call<{ videos: { id: string }[] }>(client, "ListVideos", { ownerId: "interop-user" }, metadata);
    assert.deepEqual(listed.videos.map((v) => v.id), [created.video.id]);
    const got = await call<{ video: { title: string } }>(client, "GetVideo", { id: created.video.id }, metadata);
    assert.equal(got.video.title, "from proto-loader");
    await assert.rejects(call(client, "GetVideo", { id: "nosuchvideo000000000" }, metadata), /NOT_FOUND|not found/);
  } finally {
    client.close();
  }
});

test("standard grpc.health.v1 and server reflection answer", async () => {
  const healthDef = loadSync("health.proto", { includeDirs: [await healthProtoDir()], enums: String });
  const health = ((((loadPackageDefinition(healthDef).grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject)
    .Health as ServiceClientConstructor);
  const healthClient = new health(env.address, credentials.createInsecure()) as unknown as Record<string, Function> & { close(): void };
  try {
    const overall = await call<{ status: string }>(healthClient, "Check", { service: "" });
    assert.equal(overall.status, "SERVING");
    const catalog = await call<{ status: string }>(healthClient, "Check", { service: "kino.catalog.v1.CatalogService" });
    assert.equal(catalog.status, "SERVING");
  } finally {
    healthClient.close();
  }

  const reflectionDef = loadSync("grpc/reflection/v1/reflection.proto", { includeDirs: [await reflectionProtoDir()] });
  const reflectionPkg = loadPackageDefinition(reflectionDef) as GrpcObject;
  const Reflection = (((reflectionPkg.grpc as GrpcObject).reflection as GrpcObject).v1 as GrpcObject)
    .ServerReflection as ServiceClientConstructor;
  const reflection = new Reflection(env.address, credentials.createInsecure()) as unknown as Record<string, Function> & { close(): void };
  try {
    const services = await new Promise<string[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo!.call(reflection) as NodeJS.EventEmitter & { write(m: object): void; end(): void };
      stream.on("data", (response: { listServicesResponse?: { service: { name: string }[] } }) => {
        resolve(response.listServicesResponse?.service.map((s) => s.name) ?? []);
        stream.end();
      });
      stream.on("error", reject);
      stream.write({ listServices: "" });
    });
    assert.ok(services.includes("kino.catalog.v1.CatalogService"), `reflection listed ${services.join(", ")}`);
  } finally {
    reflection.close();
  }
});

async function healthProtoDir(): Promise<string> {
  const { protoPath } = await import("grpc-health-check");
  return protoPath.replace(/\/health\.proto$/, "");
}

async function reflectionProtoDir(): Promise<string> {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.resolve("@grpc/reflection"));
  const { dirname, join } = await import("node:path");
  return join(dirname(require.resolve("@grpc/reflection/package.json")), "build", "proto");
}
