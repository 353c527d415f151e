import assert from "node:assert/strict";
import { after } from "node:test";
import type { Logger } from "@kino/platform";
import type { Clock } from "./clock.ts";
import type { Tiers } from "./tiers.ts";
import { startTestAuth, testAudience, testIssuer, type StartedTestAuth } from "./testing.ts";
import { createGrpcClient, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { ApiKeyScope, AuthService } from "@kino/proto/auth/v1";
import { startMailCatcher, type MailCatcher } from "@kino/testkit";

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** An API key with every scope the user may hold. */
  apiKey: string;
}

export interface TestAccounts {
  auth: StartedTestAuth;
  mail: MailCatcher;
  /** host:port of the auth service, for KINO_AUTH_URL. */
  authUrl: string;
  /** The auth service as the gateway calls it. */
  client: GrpcClient<typeof AuthService>;
  /** Gateway settings that point at this auth service. */
  gatewayEnv: Record<string, string>;
  createUser(name: string): Promise<TestUser>;
  /** A new API key of `user` with exactly `scopes`. */
  createKey(user: TestUser, scopes: ApiKeyScope[]): Promise<string>;
  /** Gives `user` the admin role, as an operator would in the database. */
  makeAdmin(user: TestUser): Promise<void>;
  close(): Promise<void>;
}

let serial = 0;
const allScopes = [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE, ApiKeyScope.ANALYTICS_READ];

/**
 * For other packages' tests: a real auth service and mail catcher, with
 * users made the way people make them (sign-up, emailed code, sign-in).
 */
export async function startTestAccounts(options: { clock?: Clock; tiers?: Tiers; logger?: Logger } = {}): Promise<TestAccounts> {
  const mail = await startMailCatcher();
  const auth = await startTestAuth({ smtpUrl: mail.url, clock: options.clock, tiers: options.tiers, logger: options.logger });
  const client = createGrpcClient(AuthService, auth.address, { identity: testServiceCredentials().minter("gateway") });
  const accounts: TestAccounts = {
    auth,
    mail,
    authUrl: auth.address,
    client,
    gatewayEnv: { KINO_AUTH_URL: auth.address, KINO_AUTH_ISSUER: testIssuer, KINO_AUTH_AUDIENCE: testAudience },
    async createUser(name) {
      serial += 1;
      const email = `${name}.${process.pid}.${serial}@example.com`;
      const password = `${name}-password-${serial}-correct-horse`;
      await client.signUp({ email, password, displayName: name });
      const message = await mail.next(email);
      const code = /\b(\d{6})\b/.exec(message.text)?.[1];
      assert.ok(code, "a verification code was mailed");
      await client.verifyEmail({ email, code });
      const { tokens } = await client.signIn({ email, password });
      assert.ok(tokens);
      const user: TestUser = { userId: tokens.userId, email, password, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, apiKey: "" };
      user.apiKey = await accounts.createKey(user, allScopes);
      return user;
    },
    async createKey(user, scopes) {
      const created = await client.createApiKey({ name: "test key", scopes }, { onBehalfOf: { userId: user.userId } });
      return created.secret;
    },
    makeAdmin: (user) => auth.setRole(user.userId, "admin"),
    async close() {
      client.close();
      await auth.close();
      await mail.close();
    },
  };
  return accounts;
}

let shared: Promise<TestAccounts> | undefined;

/** One auth service per test process, closed when the file's tests end. */
export function sharedTestAccounts(): Promise<TestAccounts> {
  if (!shared) {
    shared = startTestAccounts();
    after(async () => (await shared!).close());
  }
  return shared;
}
export { defaultTiers, type Tiers } from "./tiers.ts";
