import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { KinoError } from "@kino/platform";
import { postgresQuery } from "@kino/stack";
import { appProcesses, serviceDatabases, type AppEnvContext } from "./app-processes.ts";
import { ensureDevSecret } from "./dev-secrets.ts";

const run = promisify(execFile);

/** The local stack's administrator; its password lives in `<dataDir>/admin-password`. */
export const devAdminEmail = "admin@kino.localhost";

/** Auth and notify keep their tables in databases of their own; on a fresh server those do not exist yet. */
export async function ensureServiceDatabases(postgresUrl: string): Promise<void> {
  // Names from a fixed list, never from input: safe to put in the statement.
  for (const name of serviceDatabases) {
    const rows = await postgresQuery(postgresUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rows.length === 0) await postgresQuery(postgresUrl, `CREATE DATABASE ${name}`);
  }
}

export interface DevAdmin {
  email: string;
  passwordFile: string;
  /** Where its API key is kept; `kino demo` and `kino upload` read it. */
  apiKeyFile: string;
}

/**
 * Makes the local administrator and an API key for it, once per data dir,
 * through the auth service's bootstrap command (which runs its migrations).
 * The key is written to a 0600 file; nothing prints it.
 */
export async function ensureDevAdmin(repoRoot: string, context: AppEnvContext, baseEnv: NodeJS.ProcessEnv): Promise<DevAdmin> {
  const password = await ensureDevSecret(context.dataDir, "admin-password");
  const apiKeyFile = join(context.dataDir, "api-key");
  const admin = { email: devAdminEmail, passwordFile: password.file, apiKeyFile };
  if (existsSync(apiKeyFile)) return admin;
  const auth = appProcesses.find((app) => app.name === "auth")!;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "services/auth/src/bootstrap-admin-main.ts"], {
    cwd: repoRoot,
    env: { ...baseEnv, ...auth.env(context), KINO_BOOTSTRAP_EMAIL: devAdminEmail, KINO_BOOTSTRAP_PASSWORD: password.value, KINO_LOG_LEVEL: "warn" },
    timeout: 60_000,
  }).catch((error: unknown) => {
    throw new KinoError("internal", `could not create the local admin: ${(error as { stderr?: string }).stderr || (error as Error).message}`);
  });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  let apiKey: unknown;
  try {
    apiKey = (JSON.parse(line) as { apiKey?: unknown }).apiKey;
  } catch {
    apiKey = undefined;
  }
  if (typeof apiKey !== "string" || !apiKey.startsWith("kino_")) throw new KinoError("internal", "the admin bootstrap did not print an API key");
  await writeFile(apiKeyFile, `${apiKey}\n`, { mode: 0o600, flag: "wx" });
  await chmod(apiKeyFile, 0o600);
  return admin;
}
