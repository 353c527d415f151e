import assert from "node:assert/strict";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { createTopology, type Topology } from "@kino/messaging";
import { Visibility, type CatalogService, type Video, type VideoLifecycleService } from "@kino/proto/catalog/v1";
import { catalogClientFor, engagementClientFor, lifecycleClientFor, startTestCatalog, type EngagementClient, type StartedTestCatalog, type TestCatalogOptions } from "../src/testing.ts";

export type { EngagementClient };

export interface EngagementTestCatalog {
  started: StartedTestCatalog;
  topology: Topology;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  /** An engagement client for `userId` (anonymous when undefined), signed as the gateway unless told. */
  engagementAs(userId: string | undefined, options?: { role?: "user" | "admin"; principal?: "gateway" | "search" | "analytics" }): EngagementClient;
  catalogAs(userId: string | undefined): GrpcClient<typeof CatalogService>;
  /** A video of `ownerId` taken through the pipeline to READY (duration 10 s). */
  readyVideo(ownerId: string, visibility?: Visibility, title?: string): Promise<Video>;
  close(): Promise<void>;
}

const source = { durationSeconds: 10, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };

/** A real catalog (PostgreSQL, NATS, Redis) on a free port, with clients for the engagement tests. */
export async function startEngagementCatalog(options: TestCatalogOptions = {}): Promise<EngagementTestCatalog> {
  const started = await startTestCatalog(options);
  const credentials = testServiceCredentials();
  const lifecycle = lifecycleClientFor(credentials, started.address);
  const clients: { close(): void }[] = [lifecycle];
  const track = <C extends { close(): void }>(client: C): C => (clients.push(client), client);
  const catalogAs = (userId: string | undefined) => track(catalogClientFor(credentials, started.address, userId));
  return {
    started,
    topology: createTopology(started.natsPrefix),
    lifecycle,
    engagementAs: (userId, clientOptions) => track(engagementClientFor(credentials, started.address, userId, clientOptions)),
    catalogAs,
    async readyVideo(ownerId, visibility = Visibility.PUBLIC, title = "a video") {
      const owner = catalogAs(ownerId);
      const { video } = await owner.createVideo({ title, visibility });
      const videoId = video!.id;
      await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
      await lifecycle.startProcessing({ videoId });
      return (await lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 10 })).video!;
    },
    async close() {
      for (const client of clients) client.close();
      await started.close();
    },
  };
}

/** Asserts a call fails with `code`, and when given, that its message matches. */
export async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[error.code]}: ${error.details}`);
    if (message) assert.match(error.details, message);
    return true;
  });
}
