import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { callerAssertionMetadataKey } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { CatalogService } from "@kino/proto/catalog/v1";
import { startDiscoveryStack, type DiscoveryStack } from "./grpc-discovery-stack.ts";
import { alice, aliceKey } from "./start-test-stack.ts";

// Debian's python3-grpcio and python3-protobuf live under /usr/bin/python3, whatever python3 is first on PATH.
const python = "/usr/bin/python3";
const client = fileURLToPath(new URL("./fixtures/python_reflection_client.py", import.meta.url));
const run = promisify(execFile);

interface PythonAnswer {
  services: string[];
  files: string[];
  video: { id: string; title: string; ownerId: string; createTime: string };
}

let stack: DiscoveryStack;
let videoId: string;
before(async () => {
  stack = await startDiscoveryStack();
  const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: `http://${stack.gatewayAddress}`, httpVersion: "1.1" }));
  const { video } = await catalog.createVideo({ title: "seen from Python" }, { headers: { authorization: `Bearer ${aliceKey}` } });
  videoId = video!.id;
});
after(() => stack.close());

const assertionForAlice = () => testServiceCredentials().minter("gateway").assertionFor(CatalogService.typeName, { userId: alice.userId });

const targets = {
  // Straight at the service, a client must hold a service key: here the gateway's, for alice.
  catalog: { address: () => stack.catalog.address, metadata: [callerAssertionMetadataKey, assertionForAlice()] },
  gateway: { address: () => stack.gatewayAddress, metadata: ["authorization", `Bearer ${aliceKey}`] },
};

for (const [name, target] of Object.entries(targets)) {
  describe(`Python grpcio against the ${name}`, () => {
    test("loads the reflected files into a strict descriptor pool and calls GetVideo through it", async () => {
      const { stdout } = await run(python, [client, target.address(), videoId, ...target.metadata], { timeout: 60_000 });
      const answer = JSON.parse(stdout) as PythonAnswer;
      assert.ok(answer.services.includes("kino.catalog.v1.CatalogService"), answer.services.join(", "));
      assert.ok(answer.services.includes("grpc.health.v1.Health"), answer.services.join(", "));
      // The well-known type arrives as its real file, imported by its real path.
      assert.ok(answer.files.includes("google/protobuf/timestamp.proto"), answer.files.join(", "));
      assert.ok(answer.files.includes("kino/catalog/v1/catalog_service.proto"), answer.files.join(", "));
      assert.equal(answer.video.id, videoId);
      assert.equal(answer.video.title, "seen from Python");
      assert.equal(answer.video.ownerId, alice.userId);
      assert.match(answer.video.createTime, /^\d{4}-\d\d-\d\dT/);
    });
  });
}
