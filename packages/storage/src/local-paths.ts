import { mkdir, realpath } from "node:fs/promises";
import { basename, dirname, resolve, sep } from "node:path";
import { StorageError } from "./errors.ts";

/**
 * Where the local driver's keys live on disk. Keys are validated before they
 * get here; these checks stop what validation cannot see: a symlinked
 * directory inside the root that leads elsewhere.
 */
export interface LocalPaths {
  readonly root: string;
  /** The file of a key, checked to lie under the root by its name. */
  pathOf(key: string): string;
  /** `path` with its directory resolved through symlinks and checked; undefined when the directory is missing. */
  realFile(key: string, path: string): Promise<string | undefined>;
  /** As realFile, creating the directory first (never through a link that leaves the root). */
  prepareFile(key: string, path: string): Promise<string | undefined>;
  /** Whether directory `dir` exists; throws when it leads outside the root. */
  checkDir(what: string, dir: string): Promise<boolean>;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

async function realOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export function localPaths(rootDir: string): LocalPaths {
  const root = resolve(rootDir);
  let realRoot: string | undefined;

  async function assertInside(what: string, realDir: string): Promise<void> {
    // The root itself may sit behind a symlink (/data -> /mnt/data): compare real paths.
    realRoot ??= await realpath(root);
    if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
      throw new StorageError("unavailable", `the directory of ${what} leads outside the storage root through a symlink`);
    }
  }

  async function realFile(key: string, path: string): Promise<string | undefined> {
    const dir = await realOrUndefined(dirname(path));
    if (dir === undefined) return undefined;
    await assertInside(key, dir);
    return resolve(dir, basename(path));
  }

  return {
    root,
    pathOf(key) {
      // Validation already forbids "..", but check anyway: a bug there must not become a traversal.
      const path = resolve(root, key);
      if (!path.startsWith(root + sep)) {
        throw new StorageError("invalid_key", `storage key ${JSON.stringify(key)} resolves outside the storage root`);
      }
      return path;
    },
    realFile,
    async prepareFile(key, path) {
      await mkdir(root, { recursive: true });
      // Directories mkdir will create did not exist, so cannot be links: check the deepest one that does.
      let existing = dirname(path);
      let real = await realOrUndefined(existing);
      while (real === undefined && existing !== root) {
        existing = dirname(existing);
        real = await realOrUndefined(existing);
      }
      if (real !== undefined) await assertInside(key, real);
      await mkdir(dirname(path), { recursive: true });
      return realFile(key, path);
    },
    async checkDir(what, dir) {
      const real = await realOrUndefined(dir);
      if (real === undefined) return false;
      await assertInside(what, real);
      return true;
    },
  };
}
