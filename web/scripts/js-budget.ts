import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { distDir } from "./web-build.ts";

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** The watch page's budget: every script it loads, gzipped. */
export const watchPageBudgetBytes = 250_000;

/**
 * The JavaScript a page loads: the entry chunk, the page's lazy chunk and
 * what either imports statically, and what the page itself loads lazily
 * (the watch page's likes and comments), each file once, gzipped as a
 * server would send it.
 */
export async function pageScriptBytes(pageSource: string): Promise<{ files: string[]; gzipBytes: number }> {
  const manifest = JSON.parse(await readFile(join(distDir, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const visit = (key: string, withLazy: boolean) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build's manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported, withLazy);
    if (withLazy) for (const imported of chunk.dynamicImports ?? []) visit(imported, withLazy);
  };
  // The entry's lazy chunks are the other pages: not this page's.
  visit("index.html", false);
  visit(pageSource, true);
  let gzipBytes = 0;
  for (const file of files) gzipBytes += gzipSync(await readFile(join(distDir, file)), { level: 9 }).length;
  return { files: [...files], gzipBytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, gzipBytes } = await pageScriptBytes("src/pages/watch/watch-page.tsx");
  process.stdout.write(`watch page JavaScript: ${(gzipBytes / 1000).toFixed(1)} KB gzipped in ${files.length} files (budget ${watchPageBudgetBytes / 1000} KB)\n`);
  process.exitCode = gzipBytes <= watchPageBudgetBytes ? 0 : 1;
}
