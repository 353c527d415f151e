import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * A random secret made once per data dir and kept in a file only its owner
 * can read; nothing prints the value itself.
 */
export async function ensureDevSecret(dataDir: string, name: string): Promise<{ file: string; value: string }> {
  const file = join(dataDir, name);
  let value: string;
  try {
    value = (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    value = randomBytes(32).toString("base64url");
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  }
  await chmod(file, 0o600);
  return { file, value };
}
