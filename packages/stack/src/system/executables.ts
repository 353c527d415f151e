import { accessSync, constants, readdirSync } from "node:fs";
import { join } from "node:path";
import { KinoError } from "@kino/platform";

/** Finds an executable by name; undefined when it is not installed. */
export type ExecutableFinder = (name: string) => string | undefined;

// Debian puts daemons in sbin, which a non-root PATH often lacks.
const sbinDirs = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/**
 * Debian installs the PostgreSQL server outside PATH, one directory per major
 * version; the newest one wins.
 */
export function newestPostgresBinDir(root = "/usr/lib/postgresql"): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync(root).filter((entry) => /^\d+(\.\d+)?$/.test(entry));
  } catch {
    return undefined;
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : join(root, newest, "bin");
}

export function defaultSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const pathDirs = (env.PATH ?? "").split(":").filter(Boolean);
  const postgres = newestPostgresBinDir();
  // The postgres directory comes first so its initdb/postgres beat any wrapper on PATH.
  return [...new Set([...(postgres ? [postgres] : []), ...pathDirs, ...sbinDirs])];
}

export function createExecutableFinder(searchDirs: readonly string[] = defaultSearchDirs()): ExecutableFinder {
  return (name) => {
    for (const dir of searchDirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not in this directory.
      }
    }
    return undefined;
  };
}

/** Like the finder, but a missing executable is an error that names the package to install. */
export function requireExecutable(find: ExecutableFinder, name: string, debianPackage: string): string {
  const path = find(name);
  if (!path) throw new KinoError("failed_precondition", `${name} is not installed (Debian package ${debianPackage})`);
  return path;
}
