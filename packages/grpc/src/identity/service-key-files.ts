import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { principals } from "./principals.ts";
import { generateServiceCredentials } from "./service-credentials.ts";

export const trustFileName = "trusted-services.json";

export function identityFileName(principal: string): string {
  return `${principal}.identity.json`;
}

/**
 * Makes a key for each of Kino's calling services in `dir`, once: an
 * existing trust file means the keys are there and are kept (rotating them
 * is deleting the directory and restarting every process). Identity files
 * are written 0600; the trust file holds public keys only.
 */
export async function ensureServiceKeyFiles(dir: string): Promise<{ created: boolean }> {
  if (existsSync(join(dir, trustFileName))) return { created: false };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { identities, trust } = generateServiceCredentials(Object.values(principals));
  for (const [principal, file] of identities) {
    const path = join(dir, identityFileName(principal));
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
  }
  // Written last: its presence says the set is complete.
  await writeFile(join(dir, trustFileName), `${JSON.stringify(trust, null, 2)}\n`, { mode: 0o644 });
  return { created: true };
}
