import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The web package's directory and where its build lands. */
export const webDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const distDir = join(webDir, "dist");
const repoRoot = dirname(webDir);

// What the bundle is made of: the app, its config, and the workspace packages it compiles in.
const inputs = [
  join(webDir, "src"),
  join(webDir, "public"),
  join(webDir, "index.html"),
  join(webDir, "vite.config.ts"),
  join(webDir, "tsconfig.json"),
  join(webDir, "package.json"),
  join(repoRoot, "packages", "player-sdk", "src"),
  join(repoRoot, "packages", "proto", "gen"),
  join(repoRoot, "packages", "proto", "src"),
];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/** Why the build must run, or undefined when dist/ is newer than every input. */
export async function staleReason(): Promise<string | undefined> {
  const built = await stat(join(distDir, "index.html")).catch(() => undefined);
  if (!built) return "web/dist does not exist yet";
  for (const input of inputs) if ((await newestMtime(input)) > built.mtimeMs) return `${input.slice(repoRoot.length + 1)} changed since the last build`;
  return undefined;
}

/** Runs `pnpm --filter @kino/web build` when the build is missing or older than its sources. */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<"fresh" | "built"> {
  const reason = await staleReason();
  if (!reason) return "fresh";
  log(`building the web app (${reason})`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn("pnpm", ["--filter", "@kino/web", "build"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("close", (exit) => resolve(exit ?? 1));
  });
  if (code !== 0) throw new Error(`the web app's build failed (exit ${code}): run pnpm --filter @kino/web build to see why`);
  return "built";
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outcome = await ensureWebBuild((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`web app: ${outcome === "fresh" ? "up to date" : "built"} in ${distDir}\n`);
}
