import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface DevApiKey {
  file: string;
  /** The KINO_API_KEYS entry for the gateway: "dev:<key>". */
  apiKeys: string;
}

export const devKeyOwner = "dev";

/**
 * The key the local gateway accepts, made once per data dir and kept in a
 * file only its owner can read; nothing prints the key itself.
 */
export async function ensureDevApiKey(dataDir: string): Promise<DevApiKey> {
  const file = join(dataDir, "api-key");
  let key: string;
  try {
    key = (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    key = randomBytes(32).toString("base64url");
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  }
  await chmod(file, 0o600);
  return { file, apiKeys: `${devKeyOwner}:${key}` };
}
