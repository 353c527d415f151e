import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ApiKeySchema, ApiKeyScope } from "@kino/proto/auth/v1";
import { createTempDir, type TempDir } from "@kino/testkit";
import { resolveCredential } from "../src/api/credential.ts";
import { gatewayUrlFrom } from "../src/api/gateway-url.ts";
import { UsageError } from "../src/command.ts";
import { keysTable, parseExpiry, parseScopes } from "../src/commands/keys.ts";
import { createCredentialsStore } from "../src/credentials/credentials-store.ts";
import { createPrompter } from "../src/credentials/prompt.ts";

describe("answers from standard input when it is not a terminal", () => {
  test("one line per answer, in order; secrets kept as typed, visible answers trimmed; a missing one is an error", async () => {
    const output = new PassThrough();
    const prompter = createPrompter({ input: Readable.from(["  me@example.com \n  pass word  \r\n12", "3456\n"]), output });
    assert.equal(prompter.interactive, false);
    assert.equal(await prompter.ask("email: ", "email"), "me@example.com");
    assert.equal(await prompter.secret("password: ", "password"), "  pass word  ");
    assert.equal(await prompter.secret("code: ", "code"), "123456");
    await assert.rejects(prompter.secret("code: ", "code"), /no code on standard input/);
    prompter.close();
    assert.equal(output.read(), null, "nothing is written when nobody is typing");
  });
});

describe("keys options", () => {
  test("scopes as written in the proto, repeated or comma-separated, duplicates once", () => {
    assert.deepEqual(parseScopes(["videos:read", "videos:write,VIDEOS:READ"]), [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE]);
    assert.deepEqual(parseScopes(["analytics:read", "admin"]), [ApiKeyScope.ANALYTICS_READ, ApiKeyScope.ADMIN]);
    assert.throws(() => parseScopes([]), UsageError);
    assert.throws(() => parseScopes(["videos:delete"]), /unknown scope "videos:delete"/);
  });

  test("--expires: durations, dates, never; not in the past", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    assert.equal(parseExpiry("30d", now)?.toISOString(), "2026-03-31T12:00:00.000Z");
    assert.equal(parseExpiry("12h", now)?.toISOString(), "2026-03-02T00:00:00.000Z");
    assert.equal(parseExpiry("90m", now)?.toISOString(), "2026-03-01T13:30:00.000Z");
    assert.equal(parseExpiry("2w", now)?.toISOString(), "2026-03-15T12:00:00.000Z");
    assert.equal(parseExpiry("2027-01-31", now)?.toISOString(), "2027-01-31T00:00:00.000Z");
    assert.equal(parseExpiry("2026-04-01T08:30:00Z", now)?.toISOString(), "2026-04-01T08:30:00.000Z");
    assert.equal(parseExpiry("never", now), undefined);
    assert.throws(() => parseExpiry("2025-01-01", now), /not in the future/);
    assert.throws(() => parseExpiry("0d", now), /not in the future/);
    assert.throws(() => parseExpiry("soon", now), UsageError);
    assert.throws(() => parseExpiry("2026-13-45", now), /not a valid date/);
  });

  test("the keys table: id, prefix, name, scopes, created, last used, expires", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const key = (fields: MessageInitShape<typeof ApiKeySchema>) =>
      create(ApiKeySchema, { createTime: timestampFromDate(new Date("2026-02-01T10:00:00Z")), ...fields });
    const table = keysTable(
      [
        key({ keyId: "k1", prefix: "abcd1234", name: "ci", scopes: [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE] }),
        key({
          keyId: "k2",
          prefix: "efgh5678",
          name: "stats",
          scopes: [ApiKeyScope.ANALYTICS_READ],
          lastUsedTime: timestampFromDate(new Date("2026-02-28T09:15:00Z")),
          expireTime: timestampFromDate(new Date("2026-04-01T00:00:00Z")),
        }),
        key({ keyId: "k3", prefix: "ijkl9012", name: "old", scopes: [ApiKeyScope.VIDEOS_READ], revoked: true, revokeTime: timestampFromDate(new Date("2026-02-15T00:00:00Z")) }),
      ],
      now,
    ).split("\n");
    assert.match(lines(table[0]), /^ID PREFIX NAME SCOPES CREATED LAST USED EXPIRES$/);
    assert.equal(lines(table[1]), "k1 abcd1234 ci videos:read,videos:write 2026-02-01 10:00Z never never");
    assert.equal(lines(table[2]), "k2 efgh5678 stats analytics:read 2026-02-01 10:00Z 2026-02-28 09:15Z 2026-04-01 00:00Z");
    assert.equal(lines(table[3]), "k3 ijkl9012 old videos:read 2026-02-01 10:00Z never revoked 2026-02-15 00:00Z");
  });
});

function lines(row: string | undefined): string {
  return (row ?? "").replace(/\s+/g, " ").trim();
}

describe("which gateway and which credential", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-credential-");
  });
  after(() => dir.remove());

  test("--gateway, else KINO_GATEWAY_URL, else the local stack; trailing slashes dropped; not a URL is an error", () => {
    assert.equal(gatewayUrlFrom(undefined, {}), "http://127.0.0.1:8080");
    assert.equal(gatewayUrlFrom(undefined, { KINO_GATEWAY_URL: "https://kino.example.com/" }), "https://kino.example.com");
    assert.equal(gatewayUrlFrom("http://10.0.0.1:9000", { KINO_GATEWAY_URL: "https://kino.example.com" }), "http://10.0.0.1:9000");
    assert.throws(() => gatewayUrlFrom(undefined, { KINO_GATEWAY_URL: "kino.example.com" }), /KINO_GATEWAY_URL/);
    assert.throws(() => gatewayUrlFrom("ftp://x", {}), UsageError);
  });

  test("KINO_API_KEY, then --api-key-file, then the stored session, then the old .kino/dev/api-key", async () => {
    const gatewayUrl = "http://127.0.0.1:8080";
    const store = createCredentialsStore(join(dir.path, "conf", "kino", "credentials.json"));
    const repoRoot = join(dir.path, "repo");
    await mkdir(join(repoRoot, ".kino", "dev"), { recursive: true });
    await writeFile(join(repoRoot, ".kino", "dev", "api-key"), "dev-key\n");
    const keyFile = join(dir.path, "key");
    await writeFile(keyFile, "kino_file_key\n");
    const options = { gatewayUrl, store, devKeyRepoRoot: repoRoot };

    assert.deepEqual(await resolveCredential({ ...options, env: {} }), { kind: "api_key", secret: "dev-key", source: join(repoRoot, ".kino", "dev", "api-key") });
    await store.put(gatewayUrl, {
      userId: "u1",
      accessToken: "access",
      accessTokenExpireTime: new Date(Date.now() + 600_000).toISOString(),
      refreshToken: "refresh",
    });
    const session = await resolveCredential({ ...options, env: {} });
    assert.equal(session.kind, "session");
    assert.equal(session.kind === "session" && (await session.session.accessToken()), "access");
    assert.deepEqual(await resolveCredential({ ...options, env: {}, apiKeyFile: keyFile }), { kind: "api_key", secret: "kino_file_key", source: keyFile });
    assert.deepEqual(await resolveCredential({ ...options, env: { KINO_API_KEY: "kino_env_key" }, apiKeyFile: keyFile }), {
      kind: "api_key",
      secret: "kino_env_key",
      source: "KINO_API_KEY",
    });
    assert.equal((await resolveCredential({ ...options, gatewayUrl: "http://elsewhere:8080", env: {} })).kind, "api_key", "the session is for its own gateway only");
    await assert.rejects(resolveCredential({ gatewayUrl: "http://elsewhere:8080", store, env: {} }), /not signed in to http:\/\/elsewhere:8080: run \.\/kino login/);
  });
});
