import { timestampDate } from "@bufbuild/protobuf/wkt";
import { KinoError } from "@kino/platform";
import { Role, type Account } from "@kino/proto/auth/v1";
import { createAuthClient } from "../api/auth-client.ts";
import { credentialInterceptor, sessionCredential, type Credential } from "../api/credential.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { formatBytes } from "../ui/progress-bar.ts";
import { accountContext, call } from "./account.ts";

export function roleName(role: Role): string {
  return (Role[role] ?? "UNSPECIFIED").toLowerCase();
}

function limitsText(account: Account): string {
  const l = account.limits;
  if (!l) return "";
  return `uploads up to ${formatBytes(Number(l.maxUploadBytes))} each, ${formatBytes(Number(l.maxStorageBytes))} in all, ${l.maxUploadsPerDay} a day`;
}

export function accountText(account: Account, signedInWith: string): string {
  const rows: [string, string][] = [
    ["user id", account.userId],
    ["email", `${account.email}${account.emailVerified ? "" : " (not verified)"}`],
    ["display name", account.displayName],
    ["role", roleName(account.role)],
    ["tier", account.tier],
    ["limits", limitsText(account)],
    ["signed in with", signedInWith],
  ];
  if (account.disabled) rows.push(["disabled", "yes: it cannot sign in or use its API keys"]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows
    .filter(([, value]) => value)
    .map(([name, value]) => `${name.padEnd(width)}  ${value}\n`)
    .join("");
}

/** `kino whoami`: the account the CLI acts as, with KINO_API_KEY or the stored session. */
async function runWhoami(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { gateway: { type: "string" }, json: { type: "boolean" } });
  const account = accountContext(values.gateway, context);
  const apiKey = context.env.KINO_API_KEY?.trim();
  const credential: Credential | undefined = apiKey
    ? { kind: "api_key", secret: apiKey, source: "KINO_API_KEY" }
    : await sessionCredential(account.gatewayUrl, account.store);
  if (!credential) throw new KinoError("unauthenticated", `not signed in to ${account.gatewayUrl}: run ./kino login, or set KINO_API_KEY`);
  const auth = createAuthClient(account.gatewayUrl, [credentialInterceptor(credential)]);
  const { account: me } = await call(account, () => auth.getMe({}));
  if (!me) throw new KinoError("internal", "GetMe answered no account");
  const signedInWith = credential.kind === "api_key" ? "an API key (KINO_API_KEY)" : `a session (kino login; ${account.store.path})`;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        userId: me.userId,
        email: me.email,
        displayName: me.displayName,
        role: roleName(me.role),
        tier: me.tier,
        limits: me.limits
          ? { maxUploadBytes: Number(me.limits.maxUploadBytes), maxStorageBytes: Number(me.limits.maxStorageBytes), maxUploadsPerDay: me.limits.maxUploadsPerDay }
          : null,
        emailVerified: me.emailVerified,
        disabled: me.disabled,
        createTime: me.createTime ? timestampDate(me.createTime).toISOString() : null,
        credential: credential.kind,
        gatewayUrl: account.gatewayUrl,
      })}\n`,
    );
  } else {
    process.stdout.write(accountText(me, signedInWith));
  }
  return 0;
}

export const whoamiCommand: Command = {
  name: "whoami",
  summary: "show the account the CLI acts as (user id, email, role, tier), with KINO_API_KEY or the kino login session",
  usage: "[--json] [--gateway URL]",
  run: runWhoami,
};
