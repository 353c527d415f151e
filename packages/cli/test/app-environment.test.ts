import assert from "node:assert/strict";
import { test } from "node:test";
import { appDaemon, appEnvironment } from "../src/app-daemon.ts";
import { appProcesses, type AppEnvContext } from "../src/app-processes.ts";

const context: AppEnvContext = {
  infra: {
    postgres: "postgres://kino@127.0.0.1:1111/kino",
    redis: "redis://127.0.0.1:2222",
    nats: "nats://127.0.0.1:3333",
    clickhouse: "http://127.0.0.1:4444",
  },
  dataDir: "/srv/kino/.kino/dev",
  secrets: {
    uploadSecret: "upload-secret-0123456789abcdef0123456789",
    playbackTokenSecret: "playback-secret-0123456789abcdef0123456789",
    signingKeySecret: "signing-secret-0123456789abcdef0123456789",
  },
};

function app(name: string) {
  const found = appProcesses.find((a) => a.name === name);
  assert.ok(found, `${name} is defined`);
  return found;
}

test("each process gets the infrastructure URLs it needs, over the inherited environment", () => {
  const baseEnv = { PATH: "/usr/bin", KINO_NATS_URL: "nats://elsewhere:4222" };
  const gateway = appEnvironment(app("gateway"), { repoRoot: "/srv/kino", context, baseEnv });
  assert.equal(gateway.PATH, "/usr/bin");
  assert.equal(gateway.KINO_UPLOAD_SECRET, context.secrets!.uploadSecret);
  assert.equal(gateway.KINO_PLAYBACK_TOKEN_SECRET, context.secrets!.playbackTokenSecret);
  assert.equal(gateway.KINO_UPLOAD_STAGING_DIR, "/srv/kino/.kino/dev/upload-staging");
  assert.equal(gateway.KINO_STORAGE_DIR, "/srv/kino/.kino/dev/storage");
  assert.equal(gateway.KINO_LOG_LEVEL, "info");

  const catalog = appEnvironment(app("catalog"), { repoRoot: "/srv/kino", context, baseEnv });
  assert.equal(catalog.KINO_DATABASE_URL, context.infra.postgres);
  assert.equal(catalog.KINO_NATS_URL, context.infra.nats, "the profile's NATS wins over an inherited one");
  const collector = appEnvironment(app("analytics-collector"), { repoRoot: "/srv/kino", context, baseEnv });
  assert.equal(collector.KINO_CLICKHOUSE_URL, context.infra.clickhouse);
  assert.equal(collector.KINO_SERVICE_IDENTITY_FILE, undefined, "the collector calls no service");
  const analytics = appEnvironment(app("analytics"), { repoRoot: "/srv/kino", context, baseEnv });
  assert.equal(analytics.KINO_CLICKHOUSE_URL, context.infra.clickhouse, "analytics reads the collector's ClickHouse");
  assert.equal(analytics.KINO_CATALOG_URL, catalog.KINO_CATALOG_LISTEN, "analytics asks the catalog who owns a video");
  assert.equal(gateway.KINO_ANALYTICS_URL, analytics.KINO_ANALYTICS_LISTEN, "the gateway forwards to analytics");
  assert.equal(catalog.KINO_UPLOAD_SECRET, undefined, "only the gateway holds the upload secret");
  const auth = appEnvironment(app("auth"), { repoRoot: "/srv/kino", context, baseEnv });
  assert.equal(auth.KINO_AUTH_DATABASE_URL, "postgres://kino@127.0.0.1:1111/kino_auth", "auth has a database of its own on the same server");
  assert.equal(gateway.KINO_AUTH_URL, auth.KINO_AUTH_LISTEN, "the gateway authenticates through auth");
  assert.equal(auth.KINO_SMTP_URL, `smtp://127.0.0.1:${appEnvironment(app("mail"), { repoRoot: "/srv/kino", context, baseEnv }).KINO_DEV_SMTP_PORT}`, "auth mails the local inbox");
  assert.equal(catalog.KINO_AUTH_SIGNING_KEY_SECRET, undefined, "only auth holds its key secret");

  // Each process holds its own service key, and the services trust the same set.
  const identities = ["gateway", "transcoder", "analytics"].map((name) => appEnvironment(app(name), { repoRoot: "/srv/kino", context, baseEnv }).KINO_SERVICE_IDENTITY_FILE);
  assert.deepEqual(identities, [
    "/srv/kino/.kino/dev/service-keys/gateway.identity.json",
    "/srv/kino/.kino/dev/service-keys/transcoder.identity.json",
    "/srv/kino/.kino/dev/service-keys/analytics.identity.json",
  ]);
  assert.equal(catalog.KINO_SERVICE_IDENTITY_FILE, undefined, "the catalog calls no service");
  assert.equal(auth.KINO_TRUSTED_SERVICES_FILE, catalog.KINO_TRUSTED_SERVICES_FILE);
});

test("notify has a database of its own, its own key, reads accounts from auth, mails the local inbox and is forwarded by the gateway", () => {
  const env = (name: string) => appEnvironment(app(name), { repoRoot: "/srv/kino", context, baseEnv: {} });
  const notify = env("notify");
  assert.equal(notify.KINO_NOTIFY_DATABASE_URL, "postgres://kino@127.0.0.1:1111/kino_notify");
  assert.equal(notify.KINO_NATS_URL, context.infra.nats);
  assert.equal(notify.KINO_SERVICE_IDENTITY_FILE, "/srv/kino/.kino/dev/service-keys/notify.identity.json");
  assert.equal(notify.KINO_TRUSTED_SERVICES_FILE, env("auth").KINO_TRUSTED_SERVICES_FILE);
  assert.equal(notify.KINO_AUTH_URL, env("auth").KINO_AUTH_LISTEN);
  assert.equal(notify.KINO_SMTP_URL, env("auth").KINO_SMTP_URL);
  assert.equal(env("gateway").KINO_NOTIFY_URL, notify.KINO_NOTIFY_LISTEN);
});

test("the transcoder and the gateway share one storage dir", () => {
  const env = (name: string) => appEnvironment(app(name), { repoRoot: "/r", context, baseEnv: {} });
  assert.equal(env("transcoder").KINO_STORAGE_DIR, env("gateway").KINO_STORAGE_DIR);
});

test("processes run their entry with tsx from the repository root and claim their health port", async () => {
  const daemon = appDaemon(app("catalog"), { repoRoot: "/srv/kino", context, baseEnv: {} });
  const plan = await daemon.launch({ dataDir: context.dataDir, logger: undefined as never });
  assert.equal(plan.command, process.execPath);
  assert.deepEqual(plan.args, ["--import", "tsx", "services/catalog/src/main.ts"]);
  assert.equal(plan.cwd, "/srv/kino");
  assert.deepEqual(daemon.ports, [{ port: 9401 }]);
});

test("no two processes share a name or a health port", () => {
  const names = appProcesses.map((a) => a.name);
  const ports = appProcesses.map((a) => new URL(a.healthUrl).port);
  assert.equal(new Set(names).size, names.length);
  assert.equal(new Set(ports).size, ports.length);
});
