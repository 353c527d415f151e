import { readdir, rmdir } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

export interface TreeFile {
  key: string;
  path: string;
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The directory part of a prefix: "media/v1/seg" -> "media/v1/". */
export function prefixDir(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf("/") + 1);
}

/**
 * Every regular file under `root` whose key starts with `prefix`, in key
 * order (the order S3 lists in). Symlinks are skipped, never followed.
 */
export async function* walkPrefix(root: string, prefix: string): AsyncGenerator<TreeFile> {
  yield* walkDir(root, prefixDir(prefix), prefix);
}

async function* walkDir(root: string, dirKey: string, prefix: string): AsyncGenerator<TreeFile> {
  let entries;
  try {
    entries = await readdir(join(root, dirKey), { withFileTypes: true });
  } catch (error) {
    if (isGone(error)) return;
    throw error;
  }
  // A directory's keys continue with "/", which sorts after "-" and ".": compare it that way.
  const children = entries
    .filter((entry) => entry.isFile() || entry.isDirectory())
    .map((entry) => ({ entry, key: dirKey + entry.name + (entry.isDirectory() ? "/" : "") }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { entry, key } of children) {
    if (entry.isDirectory()) {
      if (key.startsWith(prefix) || prefix.startsWith(key)) yield* walkDir(root, key, prefix);
    } else if (key.startsWith(prefix)) {
      yield { key, path: join(root, key) };
    }
  }
}

/** Removes `dir` and its parents while they are empty, stopping at `root`. */
export async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  for (let current = dir; current.startsWith(root + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch (error) {
      if (isGone(error)) continue;
      return;
    }
  }
}
