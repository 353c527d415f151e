import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { principals } from "./principals.ts";
import { generateServiceCredentials, type TrustFile } from "./service-credentials.ts";

export const trustFileName = "trusted-services.json";

export function identityFileName(principal: string): string {
  return `${principal}.identity.json`;
}

/**
 * Makes a key for each of Kino's calling services in `dir`. Existing keys
 * are kept (rotating them is deleting the directory and restarting every
 * process); a principal the set lacks (a service added since the keys were
 * made) gets a key of its own, and the trust file is extended with it.
 * Processes already running read the trust file at start, so they accept
 * the new key once restarted. Identity files are written 0600; the trust
 * file holds public keys only.
 */
export async function ensureServiceKeyFiles(dir: string): Promise<{ created: boolean; added: string[] }> {
  const trustPath = join(dir, trustFileName);
  const existing = existsSync(trustPath) ? (JSON.parse(await readFile(trustPath, "utf8")) as TrustFile) : undefined;
  const known = new Set(existing?.services.map((service) => service.principal));
  const missing = Object.values(principals).filter((principal) => !known.has(principal));
  if (missing.length === 0) return { created: false, added: [] };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { identities, trust } = generateServiceCredentials(missing);
  for (const [principal, file] of identities) {
    const path = join(dir, identityFileName(principal));
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
  }
  // Written last, and whole (renamed into place): its presence says the set is complete.
  const merged: TrustFile = { services: [...(existing?.services ?? []), ...trust.services] };
  await writeFile(`${trustPath}.tmp`, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o644 });
  await rename(`${trustPath}.tmp`, trustPath);
  return { created: existing === undefined, added: missing };
}
