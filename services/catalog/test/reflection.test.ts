import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Metadata } from "@grpc/grpc-js";
import { callerAssertionMetadataKey } from "@kino/grpc";
import { callDynamic, openReflectionProbe, reflectedRegistry, testServiceCredentials } from "@kino/grpc/testing";
import { startTestCatalog, type TestCatalog } from "./start-test-catalog.ts";

// What strict clients (buf curl, grpcurl, Python's descriptor pool) need of
// reflection: each file under its real path, with every import it names
// served too, well-known types included.
let env: TestCatalog;
before(async () => {
  env = await startTestCatalog();
});
after(() => env.close());

const notFound = 5;

for (const version of ["v1", "v1alpha"] as const) {
  describe(`grpc.reflection.${version}`, () => {
    test("a registry built from its answers alone calls the catalog and its health", async () => {
      const { services, registry } = await reflectedRegistry(env.address, version);
      assert.deepEqual(services, [
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "kino.catalog.v1.CaptionStoreService",
        "kino.catalog.v1.CatalogExportService",
        "kino.catalog.v1.CatalogService",
        "kino.catalog.v1.ContentKeyService",
        "kino.catalog.v1.EngagementService",
        "kino.catalog.v1.VideoLifecycleService",
        "kino.catalog.v1.VideoPosterService",
      ]);
      assert.equal(registry.getMessage("google.protobuf.Timestamp")?.file.proto.name, "google/protobuf/timestamp.proto");

      const catalog = registry.getService("kino.catalog.v1.CatalogService")!;
      const metadata = new Metadata();
      const gateway = testServiceCredentials().minter("gateway");
      metadata.set(callerAssertionMetadataKey, gateway.assertionFor(catalog.typeName, { userId: "reflecting-user" }));
      const created = await callDynamic(env.address, catalog.method.createVideo!, { title: "described" }, metadata);
      const id = (created as unknown as { video: { id: string } }).video.id;
      const got = (await callDynamic(env.address, catalog.method.getVideo!, { id }, metadata)) as unknown as {
        video: { title: string; createTime: { $typeName: string; seconds: bigint } };
      };
      assert.equal(got.video.title, "described");
      assert.equal(got.video.createTime.$typeName, "google.protobuf.Timestamp");
      assert.ok(got.video.createTime.seconds > 0n);

      const health = registry.getService("grpc.health.v1.Health")!;
      const serving = (await callDynamic(env.address, health.method.check!, { service: "kino.catalog.v1.CatalogService" })) as unknown as {
        status: number;
      };
      assert.equal(serving.status, 1);
    });

    test("file_by_filename serves real paths with their real imports", async () => {
      const probe = openReflectionProbe(env.address, version);
      try {
        const [service, ...imports] = await probe.files({ case: "fileByFilename", value: "kino/catalog/v1/catalog_service.proto" });
        assert.equal(service?.name, "kino/catalog/v1/catalog_service.proto");
        assert.deepEqual(service?.dependency, ["google/protobuf/timestamp.proto", "kino/catalog/v1/video.proto"]);
        assert.deepEqual(imports.map((f) => f.name), ["google/protobuf/timestamp.proto", "kino/catalog/v1/video.proto"]);
        // Later answers on the stream repeat only the file asked for, not imports already sent.
        const again = await probe.files({ case: "fileByFilename", value: "kino/catalog/v1/video.proto" });
        assert.deepEqual(again.map((f) => f.name), ["kino/catalog/v1/video.proto"]);
        const [timestamp] = await probe.files({ case: "fileByFilename", value: "google/protobuf/timestamp.proto" });
        assert.equal(timestamp?.package, "google.protobuf");
        const [health] = await probe.files({ case: "fileByFilename", value: "grpc/health/v1/health.proto" });
        assert.deepEqual(health?.service.map((s) => s.name), ["Health"]);
      } finally {
        probe.close();
      }
    });

    test("file_containing_symbol finds services, methods, messages, fields, enums, enum values and nested types", async () => {
      const probe = openReflectionProbe(env.address, version);
      try {
        const fileOf = async (symbol: string) => (await probe.files({ case: "fileContainingSymbol", value: symbol }))[0]?.name;
        assert.equal(await fileOf("kino.catalog.v1.CatalogService"), "kino/catalog/v1/catalog_service.proto");
        assert.equal(await fileOf("kino.catalog.v1.CatalogService.GetVideo"), "kino/catalog/v1/catalog_service.proto");
        assert.equal(await fileOf("kino.catalog.v1.VideoLifecycleService.MarkReady"), "kino/catalog/v1/lifecycle_service.proto");
        assert.equal(await fileOf("kino.catalog.v1.Video"), "kino/catalog/v1/video.proto");
        assert.equal(await fileOf("kino.catalog.v1.Video.title"), "kino/catalog/v1/video.proto");
        assert.equal(await fileOf("kino.catalog.v1.VideoStatus"), "kino/catalog/v1/video.proto");
        assert.equal(await fileOf("kino.catalog.v1.VIDEO_STATUS_READY"), "kino/catalog/v1/video.proto");
        assert.equal(await fileOf("google.protobuf.Timestamp"), "google/protobuf/timestamp.proto");
        assert.equal(await fileOf("grpc.health.v1.HealthCheckResponse.ServingStatus"), "grpc/health/v1/health.proto");
        assert.equal(await fileOf(`grpc.reflection.${version}.ServerReflection`), `grpc/reflection/${version}/reflection.proto`);
      } finally {
        probe.close();
      }
    });

    test("unknown names are NOT_FOUND; extension questions get answers, not a broken stream", async () => {
      const probe = openReflectionProbe(env.address, version);
      try {
        for (const request of [
          { case: "fileContainingSymbol", value: "kino.catalog.v1.NoSuchThing" },
          { case: "fileByFilename", value: "kino/catalog/v1/nope.proto" },
          { case: "allExtensionNumbersOfType", value: "kino.catalog.v1.NoSuchThing" },
          { case: "fileContainingExtension", value: { containingType: "kino.catalog.v1.Video", extensionNumber: 1000 } },
        ] as const) {
          const { messageResponse } = await probe.ask(request);
          assert.equal(messageResponse.case, "errorResponse", request.case);
          assert.equal(messageResponse.value.errorCode, notFound);
          assert.match(messageResponse.value.errorMessage, /not found/);
        }
        const { messageResponse } = await probe.ask({ case: "allExtensionNumbersOfType", value: "kino.catalog.v1.Video" });
        assert.deepEqual(messageResponse, {
          case: "allExtensionNumbersResponse",
          value: { $typeName: `grpc.reflection.${version}.ExtensionNumberResponse`, baseTypeName: "kino.catalog.v1.Video", extensionNumber: [] },
        });
      } finally {
        probe.close();
      }
    });
  });
}
