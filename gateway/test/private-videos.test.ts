import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { lifecycleClientFor } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { CatalogService, Visibility } from "@kino/proto/catalog/v1";
import { alice, bob, startTestStack, type TestStack } from "./start-test-stack.ts";

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

const transports: Record<string, (baseUrl: string) => Transport> = {
  "Connect JSON over HTTP/1.1": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" }),
  "Connect binary over HTTP/2": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
  "gRPC-Web over HTTP/1.1": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
  "gRPC over HTTP/2": (baseUrl) => createGrpcTransport({ baseUrl }),
};

const as = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });

async function notFound(call: Promise<unknown>): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, Code.NotFound, `${Code[e.code]}: ${e.rawMessage}`);
    return true;
  });
}

for (const [name, transport] of Object.entries(transports)) {
  describe(name, () => {
    test("bob, with his access token or his API key, can neither get, list, watch, update nor delete alice's private video", async () => {
      const client = createClient(CatalogService, transport(stack.baseUrl));
      const { video } = await client.createVideo({ title: "alice only", visibility: Visibility.PRIVATE }, as(alice.apiKey));
      const id = video!.id;
      // READY, so only its visibility hides it (others never see videos still processing).
      const lifecycle = lifecycleClientFor(testServiceCredentials(), `127.0.0.1:${stack.catalog.grpcPort}`);
      const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
      await lifecycle.markUploaded({ videoId: id, sourceKey: `raw/${id}/source`, source });
      await lifecycle.startProcessing({ videoId: id });
      await lifecycle.markReady({ videoId: id, outputId: "out1", durationSeconds: 2 });
      lifecycle.close();
      for (const credential of [bob.accessToken, bob.apiKey]) {
        await notFound(client.getVideo({ id }, as(credential)));
        await notFound(client.updateVideo({ id, title: "mine now" }, as(credential)));
        await notFound(client.updateVideo({ id, visibility: Visibility.PUBLIC }, as(credential)));
        await notFound(client.deleteVideo({ id }, as(credential)));
        await notFound(
          (async () => {
            for await (const _ of client.watchVideo({ id }, as(credential))) break;
          })(),
        );
        const listed = await client.listVideos({ ownerId: alice.userId }, as(credential));
        assert.ok(!listed.videos.some((v) => v.id === id), "absent from bob's view of alice's videos");
        const everything = await client.listVideos({}, as(credential));
        assert.ok(!everything.videos.some((v) => v.id === id));
      }
      await notFound(client.getVideo({ id }));
      const own = await client.getVideo({ id }, as(alice.accessToken));
      assert.equal(own.video!.title, "alice only", "bob's attempts changed nothing");
      assert.equal(own.video!.visibility, Visibility.PRIVATE);
      // The same video made unlisted: bob gets it by id, and still never sees it listed.
      await client.updateVideo({ id, visibility: Visibility.UNLISTED }, as(alice.accessToken));
      assert.equal((await client.getVideo({ id }, as(bob.apiKey))).video!.id, id);
      assert.ok(!(await client.listVideos({ ownerId: alice.userId }, as(bob.apiKey))).videos.some((v) => v.id === id));
      assert.ok(!(await client.listVideos({})).videos.some((v) => v.id === id));
    });
  });
}
