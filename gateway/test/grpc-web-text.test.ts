import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { silentLogger } from "@kino/platform";
import {
  CatalogService,
  GetVideoRequestSchema,
  GetVideoResponseSchema,
  VideoStatus,
  WatchVideoRequestSchema,
  WatchVideoResponseSchema,
} from "@kino/proto/catalog/v1";
import { launchChromium } from "@kino/testkit";
import { build } from "esbuild";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { aliceKey, testGatewayConfig } from "./start-test-stack.ts";

// gRPC-Web text mode as protoc-gen-grpc-web's code speaks it: the official
// grpc-web runtime, in Chromium, on a page of another origin, so CORS is
// enforced as for any web app.
type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

let catalog: StartedTestCatalog;
let gateway: RunningGateway;
let pageServer: Server;
let browser: Browser;
let page: Page;
let gatewayUrl: string;

const bearer = { authorization: `Bearer ${aliceKey}` };

async function grpcWebBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: `export { GrpcWebClientBase, MethodDescriptor, MethodType } from "grpc-web";`, resolveDir: import.meta.dirname },
    bundle: true,
    format: "iife",
    globalName: "grpcWeb",
    write: false,
  });
  return result.outputFiles[0]!.text;
}

before(async () => {
  const script = await grpcWebBundle();
  pageServer = createServer((req, res) => {
    if (req.url === "/grpc-web.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><script src="/grpc-web.js"></script>`);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  const pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  catalog = await startTestCatalog();
  gateway = await startGateway({ config: testGatewayConfig(catalog.catalog.grpcPort, { corsOrigins: pageOrigin }), logger: silentLogger() });
  gatewayUrl = `http://127.0.0.1:${gateway.port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(pageOrigin);
});

after(async () => {
  await browser?.close();
  await gateway?.close();
  await catalog?.close();
  pageServer?.close();
});

interface UnaryOutcome {
  bytes?: number[];
  error?: { code: number; message: string };
}

/** One unary call by grpc-web's client in text mode; messages cross as bytes, encoded here with the generated schemas. */
function unaryInPage(method: string, request: Uint8Array, metadata: Record<string, string>): Promise<UnaryOutcome> {
  return page.evaluate(
    ({ url, method, request, metadata }) =>
      new Promise<UnaryOutcome>((resolve) => {
        const client = new grpcWeb.GrpcWebClientBase({ format: "text" });
        const descriptor = new grpcWeb.MethodDescriptor(method, grpcWeb.MethodType.UNARY, Uint8Array, Uint8Array, (r: Uint8Array) => r, (b: Uint8Array) => b);
        client.rpcCall(url + method, new Uint8Array(request), metadata, descriptor, (error: { code: number; message: string } | null, response: Uint8Array) =>
          resolve(error ? { error: { code: error.code, message: error.message } } : { bytes: Array.from(response) }),
        );
      }),
    { url: gatewayUrl, method, request: Array.from(request), metadata },
  );
}

describe("gRPC-Web text mode with the grpc-web runtime", () => {
  let videoId: string;
  const connect = () => createClient(CatalogService, createConnectTransport({ baseUrl: gatewayUrl, httpVersion: "1.1" }));
  before(async () => {
    const { video } = await connect().createVideo({ title: "text mode" }, { headers: bearer });
    videoId = video!.id;
  });

  test("a unary call", async () => {
    const outcome = await unaryInPage("/kino.catalog.v1.CatalogService/GetVideo", toBinary(GetVideoRequestSchema, create(GetVideoRequestSchema, { id: videoId })), bearer);
    assert.ok(outcome.bytes, JSON.stringify(outcome.error));
    const { video } = fromBinary(GetVideoResponseSchema, new Uint8Array(outcome.bytes));
    assert.equal(video?.title, "text mode");
    assert.equal(video?.status, VideoStatus.UPLOADING);
  });

  test("errors reach the client with their code and message, from the trailer frame and from trailers-only answers", async () => {
    const missing = await unaryInPage("/kino.catalog.v1.CatalogService/GetVideo", toBinary(GetVideoRequestSchema, create(GetVideoRequestSchema, { id: "abcdefghij0123456789" })), {});
    assert.deepEqual(missing.error, { code: 5, message: "video abcdefghij0123456789 not found" });
    const unknown = await unaryInPage("/kino.catalog.v1.VideoLifecycleService/MarkReady", new Uint8Array(), {});
    assert.equal(unknown.error?.code, 12);
    assert.match(unknown.error?.message ?? "", /VideoLifecycleService\/MarkReady is not implemented/);
    const anonymous = await unaryInPage("/kino.catalog.v1.CatalogService/CreateVideo", new Uint8Array(), {});
    assert.equal(anonymous.error?.code, 16);
  });

  test("WatchVideo streams each change as it happens", async () => {
    await page.evaluate(
      ({ url, request, metadata }) => {
        const client = new grpcWeb.GrpcWebClientBase({ format: "text" });
        const descriptor = new grpcWeb.MethodDescriptor(
          "/kino.catalog.v1.CatalogService/WatchVideo",
          grpcWeb.MethodType.SERVER_STREAMING,
          Uint8Array,
          Uint8Array,
          (r: Uint8Array) => r,
          (b: Uint8Array) => b,
        );
        const watch = { messages: [] as number[][], status: undefined as { code: number; details: string } | undefined, ended: false };
        window.watch = watch;
        const stream = client.serverStreaming(url + "/kino.catalog.v1.CatalogService/WatchVideo", new Uint8Array(request), metadata, descriptor);
        stream.on("data", (bytes: Uint8Array) => watch.messages.push(Array.from(bytes)));
        stream.on("status", (status: { code: number; details: string }) => (watch.status = status));
        stream.on("error", (error: { code: number; message: string }) => (watch.status = { code: error.code, details: error.message }));
        stream.on("end", () => (watch.ended = true));
      },
      { url: gatewayUrl, request: Array.from(toBinary(WatchVideoRequestSchema, create(WatchVideoRequestSchema, { id: videoId }))), metadata: bearer },
    );
    const received = async (count: number) => {
      await page.waitForFunction((n) => window.watch.messages.length >= n, count, { timeout: 10_000 });
      return (await page.evaluate(() => window.watch.messages)).map((bytes) => fromBinary(WatchVideoResponseSchema, new Uint8Array(bytes)).video!);
    };
    // Each message arrives while the stream is still open, before the next change is made.
    assert.deepEqual((await received(1)).map((v) => v.version), [1n]);
    await connect().updateVideo({ id: videoId, title: "renamed" }, { headers: bearer });
    assert.deepEqual((await received(2)).map((v) => v.title), ["text mode", "renamed"]);
    await connect().deleteVideo({ id: videoId }, { headers: bearer });
    const all = await received(3);
    assert.equal(all.at(-1)?.status, VideoStatus.DELETED);
    await page.waitForFunction(() => window.watch.ended || window.watch.status !== undefined, undefined, { timeout: 10_000 });
    assert.deepEqual(await page.evaluate(() => window.watch.status), { code: 0, details: "", metadata: {} });
  });
});

/** Base64 that may be padded after each piece the server flushed, decoded piece by piece. */
function decodePaddedPieces(text: string): Buffer {
  return Buffer.concat((text.match(/[^=]+=*/g) ?? []).map((piece) => Buffer.from(piece, "base64")));
}

/** gRPC-Web frames: a flag byte (0x80 for trailers), a 4-byte length, the payload. */
function frames(bytes: Buffer): { trailer: boolean; payload: Buffer }[] {
  const found = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at + 1);
    found.push({ trailer: (bytes[at]! & 0x80) !== 0, payload: bytes.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return found;
}

describe("gRPC-Web text mode on the wire", () => {
  const textRequest = (body: BodyInit, extra: Record<string, string> = {}) =>
    fetch(`${gatewayUrl}/kino.catalog.v1.CatalogService/GetVideo`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web-text", "x-grpc-web": "1", ...extra },
      body,
      duplex: "half",
    } as RequestInit);

  test("a body sent in pieces, each padded base64, is one request; the answer and its trailers come back in base64", async () => {
    const message = toBinary(GetVideoRequestSchema, create(GetVideoRequestSchema, { id: "abcdefghij0123456789" }));
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
    const pieces = [frame.subarray(0, 2), frame.subarray(2, 6), frame.subarray(6, 7), frame.subarray(7)].map((piece) => piece.toString("base64"));
    assert.ok(pieces.every((piece) => piece.endsWith("=")), "every piece carries its own padding");
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const piece of pieces) {
          controller.enqueue(new TextEncoder().encode(piece));
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        controller.close();
      },
    });
    const response = await textRequest(body);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/grpc-web-text+proto");
    const [trailer] = frames(decodePaddedPieces(await response.text()));
    assert.equal(trailer?.trailer, true);
    // The service read the id whole: the request was decoded across the pieces.
    const trailers = decodeURIComponent(trailer!.payload.toString());
    assert.match(trailers, /grpc-status: ?5\r\n/);
    assert.match(trailers, /grpc-message: ?video abcdefghij0123456789 not found/);
  });

  test("a body that is not base64 is INVALID_ARGUMENT, not a hang or a 500 (and +proto is text mode too)", async () => {
    const response = await textRequest("AB=C!!!!", { "content-type": "application/grpc-web-text+proto" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/grpc-web-text+proto");
    const text = await response.text();
    const trailers = response.headers.get("grpc-status") ? "" : decodeURIComponent(frames(decodePaddedPieces(text))[0]?.payload.toString() ?? "");
    assert.equal(response.headers.get("grpc-status") ?? /grpc-status: ?(\d+)/.exec(trailers)?.[1], "3");
    assert.match(response.headers.get("grpc-message") ?? trailers, /not base64/);
  });
});

declare global {
  interface Window {
    watch: { messages: number[][]; status: { code: number; details: string } | undefined; ended: boolean };
  }
  // The bundle's global, as the page sees it.
  const grpcWeb: typeof import("grpc-web");
}
