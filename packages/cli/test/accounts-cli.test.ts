import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { resolveCredential } from "../src/api/credential.ts";
import { createGatewayClients } from "../src/api/gateway-clients.ts";
import { createCredentialsStore, gatewayKey, type StoredSession } from "../src/credentials/credentials-store.ts";
import { startAccountStack, type AccountStack } from "./account-stack.ts";
import { kino, startKino, transcript } from "./kino-process.ts";

/** gRPC status UNAUTHENTICATED, as the auth service answers a spent refresh token. */
const unauthenticated = { code: 16 };

const password = "cli correct horse battery staple";
const email = `cli.user.${process.pid}@example.com`;

describe("kino signup, login, whoami, keys and logout against a real gateway and auth service", () => {
  let stack: AccountStack;
  let home: TempDir;
  let env: NodeJS.ProcessEnv;
  let credentialsFile: string;
  let userId = "";

  async function storedSession(): Promise<StoredSession | undefined> {
    const text = await readFile(credentialsFile, "utf8").catch(() => undefined);
    return text ? JSON.parse(text).gateways[gatewayKey(stack.gatewayUrl)] : undefined;
  }

  /** Makes the stored access token look expired (the JWT itself still verifies), so the next call must refresh. */
  async function ageStoredToken(): Promise<StoredSession> {
    const file = JSON.parse(await readFile(credentialsFile, "utf8"));
    const session = file.gateways[gatewayKey(stack.gatewayUrl)] as StoredSession;
    session.accessTokenExpireTime = new Date(Date.now() - 1000).toISOString();
    await writeFile(credentialsFile, JSON.stringify(file));
    return session;
  }

  before(async () => {
    stack = await startAccountStack();
    home = await createTempDir("kino-cli-home-");
    env = { HOME: home.path, XDG_CONFIG_HOME: join(home.path, "xdg"), KINO_GATEWAY_URL: stack.gatewayUrl };
    credentialsFile = join(home.path, "xdg", "kino", "credentials.json");
  });
  after(async () => {
    await stack?.close();
    await home?.remove();
  });

  test("signup asks for the password on stdin, then the mailed code, verifies and signs in; the file is 0600", async () => {
    const running = startKino(["signup", "--email", email, "--name", "CLI User"], env);
    running.line(password);
    running.line(await stack.nextCode(email));
    running.child.stdin.end();
    const run = await running.done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`email verified; signed in to ${stack.gatewayUrl} as ${email.replace(/\./g, "\\.")} \\(user [0-9a-f]{20}\\)`));
    userId = /\(user ([0-9a-f]+)\)/.exec(run.stdout)![1]!;

    assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
    assert.equal((await stat(join(home.path, "xdg", "kino"))).mode & 0o777, 0o700);
    const session = await storedSession();
    assert.equal(session?.userId, userId);
    assert.ok(Date.parse(session!.accessTokenExpireTime) > Date.now() + 10 * 60_000, "the access token's expiry is kept");
    assert.match(session!.refreshToken, /^[A-Za-z0-9_-]{43}$/);
  });

  test("whoami answers the account of the stored session", async () => {
    const run = await kino(["whoami"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`user id +${userId}\n`));
    assert.match(run.stdout, new RegExp(`email +${email.replace(/\./g, "\\.")}\n`));
    assert.match(run.stdout, /display name +CLI User\n/);
    assert.match(run.stdout, /role +user\n/);
    assert.match(run.stdout, /tier +free\n/);
    assert.match(run.stdout, /signed in with +a session/);
    const json = JSON.parse((await kino(["whoami", "--json"], env)).stdout);
    assert.equal(json.userId, userId);
    assert.equal(json.role, "user");
    assert.equal(json.credential, "session");
  });

  test("logout ends the session on the server and deletes the credentials; whoami then says to log in", async () => {
    const before = (await storedSession())!;
    const run = await kino(["logout"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /signed out of/);
    await assert.rejects(stat(credentialsFile), { code: "ENOENT" });
    await assert.rejects(stack.auth.refresh({ refreshToken: before.refreshToken }), unauthenticated);
    const whoami = await kino(["whoami"], env);
    assert.equal(whoami.code, 1);
    assert.match(whoami.stderr, /not signed in to .*kino login/);
    assert.match((await kino(["logout"], env)).stdout, /not signed in/);
  });

  test("login: a wrong password is refused and stores nothing; the right one signs in", async () => {
    const wrong = await kino(["login", "--email", email], env, ["not the password at all"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /email or password is wrong/);
    await assert.rejects(stat(credentialsFile), { code: "ENOENT" });

    const run = await kino(["login", "--email", email], env, [password]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`signed in to .* \\(user ${userId}\\)`));
    assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
  });

  test("login --code signs in with the mailed code, and signs out the session it replaces", async () => {
    const replaced = (await storedSession())!;
    const running = startKino(["login", "--code", "--email", email], env);
    await running.waitFor(/sign-in code is on its way/);
    running.line(await stack.nextCode(email));
    running.child.stdin.end();
    const run = await running.done;
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await storedSession())?.userId, userId);
    assert.notEqual((await storedSession())?.refreshToken, replaced.refreshToken);
    await assert.rejects(stack.auth.refresh({ refreshToken: replaced.refreshToken }), unauthenticated);
  });

  test("on a terminal the password is read without echo", async () => {
    // script(1) gives the CLI a real pseudo-terminal; everything the terminal shows comes back on its stdout.
    const cli = [process.execPath, "--import", "tsx", "packages/cli/src/main.ts", "login", "--email", email].map((a) => `'${a}'`).join(" ");
    const running = startKino([], { ...env, SHELL: "/bin/sh" }, { file: "script", args: ["-q", "-e", "-c", cli, "/dev/null"] });
    await running.waitFor(/password: /);
    running.child.stdin.write(`${password}\r`);
    await running.waitFor(/signed in to/);
    running.child.stdin.end();
    const run = await running.done;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(!run.stdout.includes(password), `the terminal showed the password:\n${run.stdout}`);
    assert.equal((await storedSession())?.userId, userId);
  });

  let keyId = "";
  let secret = "";

  test("keys create prints the secret once, alone on stdout, and says it will not be shown again", async () => {
    const run = await kino(["keys", "create", "--name", "ci uploads", "--scope", "videos:read", "--scope", "videos:write", "--expires", "30d"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^kino_[0-9a-z]{8}_[A-Za-z0-9_-]{43}\n$/);
    secret = run.stdout.trim();
    assert.match(run.stderr, /will not be shown again/);
    keyId = /created API key (\S+) \(ci uploads; videos:read, videos:write; expires \d{4}-/.exec(run.stderr)?.[1] ?? "";
    assert.ok(keyId, run.stderr);
  });

  test("the key signs whoami in as the same account; keys commands refuse an API key alone", async () => {
    const withKey = { ...env, XDG_CONFIG_HOME: join(home.path, "empty"), KINO_API_KEY: secret };
    const run = await kino(["whoami"], withKey);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`user id +${userId}\n`));
    assert.match(run.stdout, /signed in with +an API key \(KINO_API_KEY\)/);
    const list = await kino(["keys", "list"], withKey);
    assert.equal(list.code, 1);
    assert.match(list.stderr, /an API key cannot create, list or revoke keys/);
  });

  test("keys list shows id, prefix, name, scopes, created, last used and expiry", async () => {
    const run = await kino(["keys", "list"], env);
    assert.equal(run.code, 0, run.stderr);
    const [header, row, ...rest] = run.stdout.trimEnd().split("\n");
    assert.match(header!, /^ID +PREFIX +NAME +SCOPES +CREATED +LAST USED +EXPIRES$/);
    assert.equal(rest.length, 0);
    const prefix = secret.split("_")[1]!;
    assert.match(row!, new RegExp(`^${keyId} +${prefix} +ci uploads +videos:read,videos:write +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ +`));
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    assert.ok(row!.includes(expires), `expires in 30 days (${expires}): ${row}`);
    // The secret part is base64url and may itself hold "_", so take all of it after the prefix.
    const secretPart = secret.slice(`kino_${prefix}_`.length);
    assert.equal(secretPart.length, 43);
    assert.ok(!run.stdout.includes(secretPart), "never the secret");
  });

  test("keys revoke ends the key at once; list hides it unless --all", async () => {
    const run = await kino(["keys", "revoke", keyId], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`revoked API key ${keyId}`));
    const refused = await kino(["whoami"], { ...env, KINO_API_KEY: secret });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /kino whoami: /);
    assert.match((await kino(["keys", "list"], env)).stdout, /no live API keys/);
    assert.match((await kino(["keys", "list", "--all"], env)).stdout, new RegExp(`${keyId} .* revoked \\d{4}-`));
    const unknown = await kino(["keys", "revoke", "no-such-key"], env);
    assert.equal(unknown.code, 1);
  });

  test("an expiring access token is refreshed before the call, once for two processes at the same time, and the rotated token saved", async () => {
    const aged = await ageStoredToken();
    const [first, second] = await Promise.all([kino(["whoami"], env), kino(["whoami"], env)]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const refreshed = (await storedSession())!;
    assert.notEqual(refreshed.refreshToken, aged.refreshToken, "the rotated refresh token is saved");
    assert.notEqual(refreshed.accessToken, aged.accessToken);
    assert.ok(Date.parse(refreshed.accessTokenExpireTime) > Date.now() + 10 * 60_000);
    assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
    // Had both processes presented the same refresh token, the auth service would have revoked the session.
    await ageStoredToken();
    const again = await kino(["whoami"], env);
    assert.equal(again.code, 0, again.stderr);
  });

  test("the stored session signs the clients upload and demo use", async () => {
    const store = createCredentialsStore(credentialsFile);
    const credential = await resolveCredential({ env: {}, gatewayUrl: stack.gatewayUrl, store });
    assert.equal(credential.kind, "session");
    const clients = createGatewayClients(stack.gatewayUrl, credential);
    const { video } = await clients.videos.createVideo({ title: "made with the session" });
    assert.equal(video?.ownerId, userId);
  });

  test("a session ended elsewhere: the failed refresh says to log in again and forgets it", async () => {
    const session = await ageStoredToken();
    await stack.auth.signOut({ refreshToken: session.refreshToken });
    const run = await kino(["whoami"], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /session on .* has ended .*run kino login again/);
    assert.equal(await storedSession(), undefined);
  });

  test("without XDG_CONFIG_HOME the session goes to ~/.config/kino/credentials.json", async () => {
    const homeOnly = { HOME: home.path, KINO_GATEWAY_URL: stack.gatewayUrl };
    const run = await kino(["login", "--email", email], homeOnly, [password]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await stat(join(home.path, ".config", "kino", "credentials.json"))).mode & 0o777, 0o600);
    assert.equal((await kino(["logout"], homeOnly)).code, 0);
  });

  test("no output of any command held the password or a token", async () => {
    const output = transcript.join("\n");
    assert.ok(output.length > 0);
    assert.ok(!output.includes(password), "the password was printed");
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\./.test(output), "an access token was printed");
  });
});
