import { realpath } from "node:fs/promises";
import { basename, dirname, resolve, sep } from "node:path";
import { StorageError } from "./errors.ts";

export interface LocalPaths {
  readonly root: string;
  /** The file of a validated key, checked to lie under the root. */
  pathOf(key: string): string;
  /**
   * `path` with its directory resolved through any symlinks, checked to still
   * lie under the root; undefined when the directory does not exist.
   */
  realPath(key: string, path: string): Promise<string | undefined>;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

export function localPaths(rootDir: string): LocalPaths {
  const root = resolve(rootDir);
  let realRoot: string | undefined;

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
    async realPath(key, path) {
      let dir: string;
      try {
        realRoot ??= await realpath(root);
        dir = await realpath(dirname(path));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        throw error;
      }
      // A symlinked directory inside the root could lead anywhere.
      if (!isInside(realRoot, dir)) {
        throw new StorageError("unavailable", `the directory of ${key} leads outside the storage root through a symlink`);
      }
      return resolve(dir, basename(path));
    },
  };
}
