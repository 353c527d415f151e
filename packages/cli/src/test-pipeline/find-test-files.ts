import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** Where test files live, relative to the repository root. */
export const testRoots = ["packages", "services", "gateway", "transcoder", "analytics-collector", "e2e", "web"] as const;

async function walk(dir: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if (entry.isFile() && entry.name.endsWith(".test.ts")) found.push(path);
  }
}

/** Whether a path matches `**\/test/**\/*.test.ts` or `**\/src/**\/*.test.ts`. */
function inTestOrSrc(path: string): boolean {
  const dirs = path.split(sep).slice(0, -1);
  return dirs.includes("test") || dirs.includes("src");
}

/**
 * Every test file of the project, sorted, as paths relative to `root`
 * (Node 20's test runner takes explicit files, not globs).
 */
export async function findTestFiles(root: string, only?: string): Promise<string[]> {
  const found: string[] = [];
  for (const testRoot of testRoots) await walk(join(root, testRoot), found);
  return found
    .map((path) => relative(root, path))
    .filter((path) => inTestOrSrc(path) && (only === undefined || path.includes(only)))
    .sort();
}
