import assert from "node:assert/strict";
import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { createGrpcClient, withCallOptions, type GrpcClient, type OnBehalfOf } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import type { Logger } from "@kino/platform";
import { AuthInternalService, AuthService, type Tokens } from "@kino/proto/auth/v1";
import { startMailCatcher, type MailCatcher } from "@kino/testkit";
import { startTestAuth, type StartedTestAuth, type TestAuthOptions } from "../src/testing.ts";

export type AuthClient = GrpcClient<typeof AuthService>;
export type AuthInternalClient = GrpcClient<typeof AuthInternalService>;

export interface AuthTestEnv {
  started: StartedTestAuth;
  /** Calls as the gateway does for an anonymous visitor whose address it does not know. */
  client: AuthClient;
  /** AuthInternalService, called as the gateway acting for itself. */
  internal: AuthInternalClient;
  /**
   * Calls as the gateway does for a signed-in user (`userId`) and/or from an
   * end client's address: the one place tests say who calls.
   */
  clientFor(caller: OnBehalfOf): AuthClient;
  mail: MailCatcher;
  /** Moves the service's clock forward. */
  advance(ms: number): void;
  now(): Date;
  /** The 6-digit code in the next mail to `email`. */
  nextCode(email: string): Promise<string>;
  /** Signs up, reads the code from the mail, verifies, signs in. */
  signUpVerified(email: string, password: string): Promise<Tokens>;
  close(): Promise<void>;
}

let serial = 0;
/** An address no other test uses. */
export function uniqueEmail(name: string): string {
  serial += 1;
  return `${name}.${process.pid}.${serial}@example.com`;
}

/** A real auth service, a real SMTP server catching its mail, and a client. */
export async function startAuthTestEnv(
  options: Omit<TestAuthOptions, "smtpUrl" | "clock"> & { logger?: Logger; mail?: MailCatcher } = {},
): Promise<AuthTestEnv> {
  const mail = options.mail ?? (await startMailCatcher());
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const started = await startTestAuth({ ...options, smtpUrl: mail.url, clock: now });
  // Signed as the gateway, the only service that calls auth; a call for a user adds `onBehalfOf`.
  const identity = testServiceCredentials().minter("gateway");
  const client = createGrpcClient(AuthService, started.address, { identity });
  const internal = createGrpcClient(AuthInternalService, started.address, { identity });
  const env: AuthTestEnv = {
    started,
    client,
    internal,
    // withCallOptions shares the channel: closing `client` closes these too.
    clientFor: (caller) => withCallOptions(client, { onBehalfOf: caller }),
    mail,
    advance(ms) {
      offsetMs += ms;
    },
    now,
    async nextCode(email) {
      const message = await mail.next(email);
      const code = /\b(\d{6})\b/.exec(message.text)?.[1];
      assert.ok(code, `no code in ${JSON.stringify(message.text)}`);
      return code;
    },
    async signUpVerified(email, password) {
      await client.signUp({ email, password, displayName: "Test User" });
      await client.verifyEmail({ email, code: await env.nextCode(email) });
      const { tokens } = await client.signIn({ email, password });
      assert.ok(tokens);
      return tokens;
    },
    async close() {
      client.close();
      internal.close();
      await started.close();
      if (!options.mail) await mail.close();
    },
  };
  return env;
}

/** The gRPC error a call failed with, for tests that read its message or trailers. */
export async function failureOf(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  assert.fail("the call succeeded");
}

export async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[error.code]}: ${error.details}`);
    if (message) assert.match(error.details, message);
    return true;
  });
}
