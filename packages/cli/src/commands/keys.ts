import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { KinoError } from "@kino/platform";
import { ApiKeyScope, type ApiKey } from "@kino/proto/auth/v1";
import { parseCommandArgs } from "../args.ts";
import { UsageError, type Command, type CommandContext } from "../command.ts";
import { formatTable } from "../table.ts";
import { accountContext, call, sessionAuthClient, type AccountContext } from "./account.ts";

/** The scopes as users write them (the proto's comments name them so too). */
const scopeNames: ReadonlyMap<string, ApiKeyScope> = new Map([
  ["videos:read", ApiKeyScope.VIDEOS_READ],
  ["videos:write", ApiKeyScope.VIDEOS_WRITE],
  ["analytics:read", ApiKeyScope.ANALYTICS_READ],
  ["admin", ApiKeyScope.ADMIN],
]);

export function scopeName(scope: ApiKeyScope): string {
  for (const [name, value] of scopeNames) if (value === scope) return name;
  return `scope-${scope}`;
}

/** `--scope videos:read --scope videos:write` or `--scope videos:read,videos:write`. */
export function parseScopes(values: readonly string[]): ApiKeyScope[] {
  const scopes = new Set<ApiKeyScope>();
  for (const value of values.flatMap((v) => v.split(","))) {
    const name = value.trim().toLowerCase();
    if (!name) continue;
    const scope = scopeNames.get(name);
    if (scope === undefined) throw new UsageError(`unknown scope ${JSON.stringify(value)}: use ${[...scopeNames.keys()].join(", ")}`);
    scopes.add(scope);
  }
  if (scopes.size === 0) throw new UsageError(`which scopes? e.g. --scope videos:read --scope videos:write (${[...scopeNames.keys()].join(", ")})`);
  return [...scopes];
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `--expires`: a duration from now (`90m`, `12h`, `30d`, `2w`), a date or time (ISO 8601), or `never`. */
export function parseExpiry(value: string, now = new Date()): Date | undefined {
  const text = value.trim();
  if (text === "never") return undefined;
  const duration = /^(\d+)\s*([mhdw])$/i.exec(text);
  let at: Date;
  if (duration) {
    at = new Date(now.getTime() + Number(duration[1]) * units[duration[2]!.toLowerCase()]!);
  } else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    at = new Date(text.length === 10 ? `${text}T00:00:00Z` : text.replace(" ", "T"));
  } else {
    throw new UsageError(`--expires ${JSON.stringify(value)}: give a duration (90m, 12h, 30d, 2w), a date (2027-01-31) or never`);
  }
  if (Number.isNaN(at.getTime())) throw new UsageError(`--expires ${JSON.stringify(value)} is not a valid date`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires ${JSON.stringify(value)} is not in the future`);
  return at;
}

export function formatTime(timestamp: Timestamp | undefined, none: string): string {
  if (!timestamp) return none;
  return `${timestampDate(timestamp).toISOString().slice(0, 16).replace("T", " ")}Z`;
}

function keyState(key: ApiKey, now: Date): "live" | "revoked" | "expired" {
  if (key.revoked) return "revoked";
  if (key.expireTime && timestampDate(key.expireTime).getTime() <= now.getTime()) return "expired";
  return "live";
}

export function keysTable(keys: readonly ApiKey[], now = new Date()): string {
  const rows = keys.map((key) => {
    const state = keyState(key, now);
    const expires =
      state === "revoked" ? `revoked ${formatTime(key.revokeTime, "")}`.trim() : `${state === "expired" ? "expired " : ""}${formatTime(key.expireTime, "never")}`;
    return [key.keyId, key.prefix, key.name, key.scopes.map(scopeName).join(","), formatTime(key.createTime, "-"), formatTime(key.lastUsedTime, "never"), expires];
  });
  return formatTable([["ID", "PREFIX", "NAME", "SCOPES", "CREATED", "LAST USED", "EXPIRES"], ...rows]);
}

async function keysClient(account: AccountContext, context: CommandContext) {
  try {
    return (await sessionAuthClient(account, "managing API keys")).auth;
  } catch (error) {
    if (context.env.KINO_API_KEY && KinoError.is(error, "unauthenticated")) {
      throw new KinoError("unauthenticated", `${error.message} (KINO_API_KEY cannot be used: an API key cannot create, list or revoke keys)`);
    }
    throw error;
  }
}

async function createKey(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, {
    name: { type: "string" },
    scope: { type: "string", multiple: true },
    expires: { type: "string" },
    gateway: { type: "string" },
  });
  if (!values.name?.trim()) throw new UsageError("--name is needed: what the key is for, e.g. --name ci-uploads");
  const scopes = parseScopes(values.scope ?? []);
  const expireTime = values.expires === undefined ? undefined : parseExpiry(values.expires);
  const account = accountContext(values.gateway, context);
  const auth = await keysClient(account, context);
  const { apiKey, secret } = await call(account, () =>
    auth.createApiKey({ name: values.name!.trim(), scopes, ...(expireTime ? { expireTime: timestampFromDate(expireTime) } : {}) }),
  );
  if (!secret) throw new KinoError("internal", "CreateApiKey answered no secret");
  const what = apiKey
    ? `API key ${apiKey.keyId} (${apiKey.name}; ${apiKey.scopes.map(scopeName).join(", ")}; expires ${formatTime(apiKey.expireTime, "never")})`
    : "API key";
  // The secret alone on stdout, so `KINO_API_KEY=$(./kino keys create …)` works; the words go to stderr.
  process.stderr.write(`created ${what}; its secret:\n`);
  process.stdout.write(`${secret}\n`);
  process.stderr.write("this secret will not be shown again: keep it now (anyone who has it acts as you within its scopes)\n");
  return 0;
}

async function listKeys(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { all: { type: "boolean" }, gateway: { type: "string" } });
  const account = accountContext(values.gateway, context);
  const auth = await keysClient(account, context);
  const keys: ApiKey[] = [];
  let pageToken = "";
  do {
    const page = await call(account, () => auth.listApiKeys({ pageSize: 200, pageToken }));
    keys.push(...page.apiKeys);
    pageToken = page.nextPageToken;
  } while (pageToken);
  const now = new Date();
  const shown = values.all ? keys : keys.filter((key) => keyState(key, now) === "live");
  if (shown.length === 0) {
    process.stdout.write(keys.length === 0 ? "no API keys: make one with ./kino keys create\n" : "no live API keys (--all shows revoked and expired ones)\n");
    return 0;
  }
  process.stdout.write(`${keysTable(shown, now)}\n`);
  return 0;
}

async function revokeKey(args: string[], context: CommandContext): Promise<number> {
  const [keyId, ...rest] = args;
  if (!keyId || keyId.startsWith("-")) throw new UsageError("which key? e.g. ./kino keys revoke <id> (./kino keys list shows the ids)");
  const values = parseCommandArgs(rest, { gateway: { type: "string" } });
  const account = accountContext(values.gateway, context);
  const auth = await keysClient(account, context);
  await call(account, () => auth.revokeApiKey({ keyId }));
  process.stdout.write(`revoked API key ${keyId}: it stops working at once\n`);
  return 0;
}

const subcommands: Record<string, (args: string[], context: CommandContext) => Promise<number>> = {
  create: createKey,
  list: listKeys,
  revoke: revokeKey,
};

export const keysCommand: Command = {
  name: "keys",
  summary: "API keys for servers and scripts (needs kino login): create one (its secret is shown once), list them, revoke one",
  usage: "create --name N --scope S [--scope S…] [--expires 30d] | list [--all] | revoke ID   [--gateway URL]",
  async run(args, context) {
    const [sub, ...rest] = args;
    const run = sub ? subcommands[sub] : undefined;
    if (!run) throw new UsageError(sub ? `unknown subcommand ${JSON.stringify(sub)}: create, list or revoke` : "create, list or revoke?");
    return run(rest, context);
  },
};
