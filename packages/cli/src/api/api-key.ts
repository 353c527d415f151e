import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { KinoError } from "@kino/platform";
import { devProfile } from "../profiles.ts";

/** KINO_API_KEY when set, else the key `kino up` generated for the local stack. */
export async function resolveApiKey(repoRoot: string, env: NodeJS.ProcessEnv, file?: string): Promise<string> {
  if (env.KINO_API_KEY) return env.KINO_API_KEY;
  const path = file ?? join(repoRoot, devProfile.dataDir, "api-key");
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    throw new KinoError(
      "unauthenticated",
      `no API key: set KINO_API_KEY, pass --api-key-file, or run ./kino up (which writes ${path})`,
      { cause: error },
    );
  }
}
