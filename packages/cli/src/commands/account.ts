import { hostname } from "node:os";
import { Code } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import { createAuthClient, type AuthClient } from "../api/auth-client.ts";
import { credentialInterceptor, sessionCredential, userCredentialsStore, type Credential } from "../api/credential.ts";
import { gatewayUrlFrom } from "../api/gateway-url.ts";
import { hasCode, rpcError } from "../api/rpc-errors.ts";
import type { CommandContext } from "../command.ts";
import type { CredentialsStore } from "../credentials/credentials-store.ts";
import { createPrompter, type Prompter } from "../credentials/prompt.ts";
import { storedSession, type SessionTokens } from "../credentials/session.ts";

/** What the account commands share: the gateway, where sessions are kept, and how to ask the user. */
export interface AccountContext {
  gatewayUrl: string;
  store: CredentialsStore;
  /** AuthService with no credential: sign-up, sign-in, codes, refresh, sign-out. */
  auth: AuthClient;
  prompter: Prompter;
}

export function accountContext(gatewayOption: string | undefined, { env }: CommandContext): AccountContext {
  const gatewayUrl = gatewayUrlFrom(gatewayOption, env);
  return { gatewayUrl, store: userCredentialsStore(env), auth: createAuthClient(gatewayUrl), prompter: createPrompter() };
}

/** Runs one RPC, turning a failure into one line for the user (see rpcError). */
export async function call<T>(account: Pick<AccountContext, "gatewayUrl">, rpc: () => Promise<T>): Promise<T> {
  try {
    return await rpc();
  } catch (error) {
    throw rpcError(error, account.gatewayUrl);
  }
}

export async function askEmail(account: AccountContext, option: string | undefined): Promise<string> {
  const email = (option ?? (await account.prompter.ask("email: ", "email"))).trim();
  if (!email) throw new KinoError("invalid_argument", "an email is needed");
  return email;
}

/**
 * Asks for a mailed code until the server takes one (at most `attempts`):
 * `use` runs the RPC; a wrong, expired or spent code asks again.
 */
export async function withMailedCode<T>(account: AccountContext, what: string, use: (code: string) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const code = (await account.prompter.secret(`${what}: `, what)).trim();
    try {
      return await use(code);
    } catch (error) {
      if (hasCode(error, Code.Unauthenticated) && attempt < attempts) {
        process.stderr.write("that code is wrong, expired or used up; try again (or press Ctrl-C and ask for a new one)\n");
        continue;
      }
      throw rpcError(error, account.gatewayUrl);
    }
  }
}

/**
 * Keeps a new session for the gateway, replacing (and signing out, if it can)
 * the one stored before, so that a second `kino login` leaves no session behind.
 */
export async function keepSession(account: AccountContext, tokens: SessionTokens | undefined, email: string): Promise<string> {
  if (!tokens) throw new KinoError("internal", "the gateway answered the sign-in without tokens");
  const session = storedSession(tokens, email);
  const previous = await account.store.update(account.gatewayUrl, async (current) => ({ session, result: current }));
  if (previous && previous.refreshToken !== session.refreshToken) {
    await account.auth.signOut({ refreshToken: previous.refreshToken }).catch(() => undefined);
  }
  return session.userId;
}

export function signedInLine(account: AccountContext, email: string, userId: string): string {
  return `signed in to ${account.gatewayUrl} as ${email} (user ${userId})\n`;
}

/** AuthService made as the stored session (refreshed as needed); a KinoError telling to log in when there is none. */
export async function sessionAuthClient(account: AccountContext, why: string): Promise<{ auth: AuthClient; credential: Credential }> {
  const credential = await sessionCredential(account.gatewayUrl, account.store);
  if (!credential) throw new KinoError("unauthenticated", `not signed in to ${account.gatewayUrl}: ${why} needs a session, run ./kino login`);
  return { auth: createAuthClient(account.gatewayUrl, [credentialInterceptor(credential)]), credential };
}

/** What ListSessions shows for a session the CLI starts. */
export function clientDescription(): string {
  return `kino CLI on ${hostname()}`.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);
}
