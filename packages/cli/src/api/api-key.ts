import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { KinoError } from "@kino/platform";
import { devProfile } from "../profiles.ts";

/** Where `kino up` has written the local stack's key (the old KINO_API_KEYS scheme, going away). */
export function devApiKeyPath(repoRoot: string): string {
  return join(repoRoot, devProfile.dataDir, "api-key");
}

/** The key in a file (surrounding white space dropped); undefined when the file does not exist. */
export async function readApiKeyFile(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new KinoError("failed_precondition", `cannot read the API key in ${path}: ${(error as Error).message}`, { cause: error });
  }
  const key = text.trim();
  if (!key) throw new KinoError("failed_precondition", `${path} is empty`);
  return key;
}
