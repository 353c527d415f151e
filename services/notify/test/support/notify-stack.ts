import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { startTestAccounts, type TestAccounts, type TestUser } from "@kino/auth-service/test-accounts";
import { catalogClientFor, lifecycleClientFor, startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import type { NotifyConfig } from "../../src/config.ts";
import type { HostResolver } from "../../src/host-resolver.ts";
import { notifyClientFor, startTestNotify, type NotifyClient, type StartedTestNotify } from "../../src/testing.ts";

export interface NotifyStack {
  accounts: TestAccounts;
  catalog: StartedTestCatalog;
  notify: StartedTestNotify;
  natsPrefix: string;
  /** NotifyService as the gateway calls it for `user` (for nobody when undefined). */
  clientFor(user: TestUser | undefined): NotifyClient;
  /** Creates a video for `user` and drives it to READY; resolves with its id. */
  readyVideo(user: TestUser): Promise<string>;
  /** Creates a video for `user` and fails it with `reason`. */
  failedVideo(user: TestUser, reason: string): Promise<string>;
  close(): Promise<void>;
}

const source = { durationSeconds: 3, width: 320, height: 180, frameRate: 30, hasAudio: true, sizeBytes: 1234n, videoCodec: "h264" };
const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 500_000, averageBandwidth: 400_000, frameRate: 30, codecs: "avc1.64000d,mp4a.40.2" }];

/**
 * Real auth (users, the mail catcher notify mails into), a real catalog
 * whose outbox publishes lifecycle events, and a notify service consuming
 * them under the same NATS prefix.
 */
export async function startNotifyStack(options: { config?: Partial<NotifyConfig>; resolver?: HostResolver } = {}): Promise<NotifyStack> {
  const natsPrefix = `n${randomBytes(5).toString("hex")}`;
  const accounts = await startTestAccounts();
  const catalog = await startTestCatalog({ natsPrefix });
  const notify = await startTestNotify({ natsPrefix, authUrl: accounts.authUrl, smtpUrl: accounts.mail.url, config: options.config, resolver: options.resolver });
  const credentials = testServiceCredentials();
  const lifecycle = lifecycleClientFor(credentials, catalog.address);
  const clients: NotifyClient[] = [];

  const uploadedVideo = async (user: TestUser) => {
    const owner = catalogClientFor(credentials, catalog.address, user.userId);
    try {
      const { video } = await owner.createVideo({ title: "notify me" });
      await lifecycle.markUploaded({ videoId: video!.id, sourceKey: `raw/${video!.id}/source`, source });
      return video!.id;
    } finally {
      owner.close();
    }
  };
  return {
    accounts,
    catalog,
    notify,
    natsPrefix,
    clientFor(user) {
      const client = notifyClientFor(notify.address, user?.userId);
      clients.push(client);
      return client;
    },
    async readyVideo(user) {
      const videoId = await uploadedVideo(user);
      await lifecycle.startProcessing({ videoId });
      await lifecycle.markReady({ videoId, outputId: "attempt1", durationSeconds: 3, renditions });
      return videoId;
    },
    async failedVideo(user, reason) {
      const videoId = await uploadedVideo(user);
      await lifecycle.markFailed({ videoId, reason });
      return videoId;
    },
    async close() {
      for (const client of clients) client.close();
      lifecycle.close();
      await notify.close();
      await catalog.close();
      await accounts.close();
    },
  };
}

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = "the condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await sleep(50);
  }
}
