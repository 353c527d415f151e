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

// The README's example, run: buf curl knows nothing of Kino's protos and
// learns them through server reflection, from the catalog and the gateway.
const buf = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));
const run = promisify(execFile);

let stack: DiscoveryStack;
let videoId: string;
before(async () => {
  stack = await startDiscoveryStack();
  const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: `http://${stack.gatewayAddress}`, httpVersion: "1.1" }));
  const { video } = await catalog.createVideo({ title: "seen by buf curl" }, { headers: { authorization: `Bearer ${aliceKey}` } });
  videoId = video!.id;
});
after(() => stack.close());

async function bufCurl(...args: string[]): Promise<string> {
  const { stdout } = await run(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], { timeout: 30_000 });
  return stdout;
}

const assertionForAlice = () => testServiceCredentials().minter("gateway").assertionFor(CatalogService.typeName, { userId: alice.userId });

const targets = {
  // Straight at the service, a client must hold a service key: here the gateway's, for alice.
  catalog: { address: () => stack.catalog.address, caller: `${callerAssertionMetadataKey}: ${assertionForAlice()}` },
  gateway: { address: () => stack.gatewayAddress, caller: `authorization: Bearer ${aliceKey}` },
};

for (const [name, target] of Object.entries(targets)) {
  describe(`buf curl against the ${name}`, () => {
    for (const reflectProtocol of ["grpc-v1", "grpc-v1alpha"]) {
      test(`lists methods through ${reflectProtocol} reflection`, async () => {
        const methods = (await bufCurl("--reflect-protocol", reflectProtocol, "--list-methods", `http://${target.address()}`)).trim().split("\n");
        for (const method of ["kino.catalog.v1.CatalogService/GetVideo", "kino.catalog.v1.CatalogService/WatchVideo", "grpc.health.v1.Health/Check"]) {
          assert.ok(methods.includes(method), `${method} in ${methods.join(", ")}`);
        }
        assert.equal(methods.includes("kino.catalog.v1.VideoLifecycleService/MarkReady"), name === "catalog");
      });
    }

    test("calls GetVideo, encoding and decoding JSON from the reflected descriptors", async () => {
      const answer = JSON.parse(
        await bufCurl("-H", target.caller, "-d", JSON.stringify({ id: videoId }), `http://${target.address()}/kino.catalog.v1.CatalogService/GetVideo`),
      ) as { video: { id: string; title: string; ownerId: string; status: string; createTime: string } };
      assert.equal(answer.video.id, videoId);
      assert.equal(answer.video.title, "seen by buf curl");
      assert.equal(answer.video.ownerId, alice.userId);
      assert.equal(answer.video.status, "VIDEO_STATUS_UPLOADING");
      // google.protobuf.Timestamp's JSON form: only possible with its descriptor.
      assert.match(answer.video.createTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    });

    test("calls the standard health check", async () => {
      assert.deepEqual(JSON.parse(await bufCurl("-d", "{}", `http://${target.address()}/grpc.health.v1.Health/Check`)), { status: "SERVING" });
    });
  });
}
