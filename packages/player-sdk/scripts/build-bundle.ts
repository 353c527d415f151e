import { build } from "esbuild";
import { fileURLToPath } from "node:url";

export const bundlePath = fileURLToPath(new URL("../dist/kino-analytics.js", import.meta.url));
const entryPath = fileURLToPath(new URL("../src/bundle-entry.ts", import.meta.url));

/** Builds dist/kino-analytics.js: an IIFE exposing `KinoAnalytics.attach` for a <script> tag. */
export async function buildBundle(): Promise<string> {
  await build({
    entryPoints: [entryPath],
    bundle: true,
    format: "iife",
    globalName: "KinoAnalytics",
    minify: true,
    sourcemap: false,
    target: ["es2020"],
    outfile: bundlePath,
    logLevel: "silent",
  });
  return bundlePath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildBundle());
}
