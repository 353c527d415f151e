import { chmod } from "node:fs/promises";
import { silentLogger } from "@kino/platform";
import { createTempDir, type TempDir } from "@kino/testkit";

/** A data dir the postgres user can reach too (mkdtemp makes it private to us). */
export async function createStackDir(): Promise<TempDir> {
  const dir = await createTempDir("kino-stack-");
  await chmod(dir.path, 0o755);
  return dir;
}

export const logger = silentLogger();
