import assert from "node:assert/strict";
import { chmod, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import { createTempDir, type TempDir } from "@kino/testkit";
import { credentialsPath, kinoConfigDir } from "../src/credentials/config-dir.ts";
import { createCredentialsStore, gatewayKey, type StoredSession } from "../src/credentials/credentials-store.ts";
import { storedSession, storedSessionTokens, type Refresher } from "../src/credentials/session.ts";

function session(name: string, expiresInMs = 15 * 60_000): StoredSession {
  return {
    userId: `user-${name}`,
    email: `${name}@example.com`,
    accessToken: `access-${name}`,
    accessTokenExpireTime: new Date(Date.now() + expiresInMs).toISOString(),
    refreshToken: `refresh-${name}`,
  };
}

const refuseToRefresh: Refresher = async () => {
  throw new Error("no refresh expected");
};

describe("where credentials live", () => {
  test("XDG_CONFIG_HOME when absolute, else ~/.config", () => {
    assert.equal(credentialsPath({ XDG_CONFIG_HOME: "/x/conf", HOME: "/home/a" }), "/x/conf/kino/credentials.json");
    assert.equal(credentialsPath({ HOME: "/home/a" }), "/home/a/.config/kino/credentials.json");
    assert.equal(kinoConfigDir({ XDG_CONFIG_HOME: "relative/conf", HOME: "/home/a" }), "/home/a/.config/kino", "a relative XDG_CONFIG_HOME is ignored");
  });

  test("one key per gateway: scheme, host in lower case and port; trailing slashes dropped", () => {
    assert.equal(gatewayKey("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
    assert.equal(gatewayKey("HTTPS://Kino.Example.COM"), "https://kino.example.com");
    assert.equal(gatewayKey("https://kino.example.com:443/api//"), "https://kino.example.com/api");
    assert.notEqual(gatewayKey("http://127.0.0.1:8080"), gatewayKey("http://127.0.0.1:8081"));
  });
});

describe("the credentials store", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-credentials-");
  });
  after(() => dir.remove());

  test("the file is 0600 in a 0700 directory, sessions are kept per gateway, and the last delete removes the file", async () => {
    const path = credentialsPath({ XDG_CONFIG_HOME: join(dir.path, "conf") });
    const store = createCredentialsStore(path);
    assert.equal(await store.get("http://127.0.0.1:8080"), undefined);

    await store.put("http://127.0.0.1:8080/", session("local"));
    await store.put("https://kino.example.com", session("remote"));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir.path, "conf", "kino"))).mode & 0o777, 0o700);
    assert.equal((await store.get("http://127.0.0.1:8080"))?.userId, "user-local");
    assert.equal((await store.get("https://KINO.example.com/"))?.userId, "user-remote");
    const onDisk = JSON.parse(await readFile(path, "utf8"));
    assert.deepEqual(Object.keys(onDisk.gateways).sort(), ["http://127.0.0.1:8080", "https://kino.example.com"]);

    assert.equal(await store.delete("http://127.0.0.1:8080"), true);
    assert.equal(await store.delete("http://127.0.0.1:8080"), false);
    assert.equal(await store.get("http://127.0.0.1:8080"), undefined);
    assert.equal((await store.get("https://kino.example.com"))?.userId, "user-remote", "the other gateway's session stays");
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    await store.delete("https://kino.example.com");
    await assert.rejects(stat(path), { code: "ENOENT" });
    assert.deepEqual(await readdir(join(dir.path, "conf", "kino")), [], "no temp or lock files are left");
  });

  test("a file made readable by others is written back 0600, and an existing directory is narrowed to 0700", async () => {
    const path = join(dir.path, "loose", "credentials.json");
    const store = createCredentialsStore(path);
    await store.put("http://a.example", session("a"));
    await chmod(path, 0o644);
    await chmod(join(dir.path, "loose"), 0o755);
    await store.put("http://b.example", session("b"));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir.path, "loose"))).mode & 0o777, 0o700);
  });

  test("a file that is not JSON is an error naming it, not an empty store", async () => {
    const path = join(dir.path, "broken", "credentials.json");
    const store = createCredentialsStore(path);
    await store.put("http://a.example", session("a"));
    await writeFile(path, "{not json");
    await assert.rejects(store.get("http://a.example"), (error: KinoError) => error.message.includes(path));
  });

  test("twenty writers at once lose no session", async () => {
    const store = createCredentialsStore(join(dir.path, "busy", "credentials.json"));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`http://gw${i}.example`, session(`s${i}`))));
    for (let i = 0; i < 20; i++) assert.equal((await store.get(`http://gw${i}.example`))?.userId, `user-s${i}`);
  });
});

describe("session access tokens", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-session-");
  });
  after(() => dir.remove());

  test("none stored: undefined", async () => {
    const store = createCredentialsStore(join(dir.path, "none", "credentials.json"));
    assert.equal(await storedSessionTokens({ store, gatewayUrl: "http://g.example", refresh: refuseToRefresh }), undefined);
  });

  test("a token valid for more than a minute is used as it is", async () => {
    const store = createCredentialsStore(join(dir.path, "fresh", "credentials.json"));
    await store.put("http://g.example", session("fresh", 5 * 60_000));
    const tokens = await storedSessionTokens({ store, gatewayUrl: "http://g.example", refresh: refuseToRefresh });
    assert.equal(await tokens!.accessToken(), "access-fresh");
  });

  test("a token about to expire is refreshed once and the rotated refresh token saved", async () => {
    const store = createCredentialsStore(join(dir.path, "expiring", "credentials.json"));
    await store.put("http://g.example", session("old", 30_000));
    const presented: string[] = [];
    const refresh: Refresher = async (refreshToken) => {
      presented.push(refreshToken);
      return {
        userId: "user-old",
        accessToken: "access-new",
        accessTokenExpireTime: timestampFromDate(new Date(Date.now() + 15 * 60_000)),
        refreshToken: "refresh-new",
        refreshTokenExpireTime: timestampFromDate(new Date(Date.now() + 30 * 86_400_000)),
      };
    };
    const tokens = await storedSessionTokens({ store, gatewayUrl: "http://g.example", refresh });
    assert.equal(await tokens!.accessToken(), "access-new");
    assert.equal(await tokens!.accessToken(), "access-new");
    assert.deepEqual(presented, ["refresh-old"]);
    const saved = await store.get("http://g.example");
    assert.equal(saved?.refreshToken, "refresh-new");
    assert.equal(saved?.email, "old@example.com", "the email is kept across refreshes");
  });

  test("a refused refresh forgets the session and says to log in again; an unreachable gateway keeps it", async () => {
    const store = createCredentialsStore(join(dir.path, "refused", "credentials.json"));
    await store.put("http://g.example", session("gone", -1000));
    const down = await storedSessionTokens({
      store,
      gatewayUrl: "http://g.example",
      refresh: async () => {
        throw new ConnectError("connect ECONNREFUSED", Code.Unavailable);
      },
    });
    await assert.rejects(down!.accessToken(), (error: KinoError) => error.code === "unavailable");
    assert.ok(await store.get("http://g.example"), "kept for the next try");

    const refused = await storedSessionTokens({
      store,
      gatewayUrl: "http://g.example",
      refresh: async () => {
        throw new ConnectError("refresh token is not valid", Code.Unauthenticated);
      },
    });
    await assert.rejects(refused!.accessToken(), (error: KinoError) => error.code === "unauthenticated" && /kino login again/.test(error.message));
    assert.equal(await store.get("http://g.example"), undefined);
  });

  test("an expired refresh token ends the session without a call", async () => {
    const store = createCredentialsStore(join(dir.path, "refresh-expired", "credentials.json"));
    await store.put("http://g.example", { ...session("late", -1000), refreshTokenExpireTime: new Date(Date.now() - 1000).toISOString() });
    const tokens = await storedSessionTokens({ store, gatewayUrl: "http://g.example", refresh: refuseToRefresh });
    await assert.rejects(tokens!.accessToken(), /kino login again/);
    assert.equal(await store.get("http://g.example"), undefined);
  });

  test("storedSession keeps what Tokens says and needs every token", () => {
    const expires = new Date(Date.now() + 900_000);
    const s = storedSession({ userId: "u", accessToken: "a", refreshToken: "r", accessTokenExpireTime: timestampFromDate(expires) }, "e@example.com");
    assert.equal(s.accessTokenExpireTime, expires.toISOString());
    assert.equal(s.email, "e@example.com");
    assert.throws(() => storedSession({ userId: "u", accessToken: "", refreshToken: "r" }));
  });
});
