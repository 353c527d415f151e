import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import { startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";

const cliMain = fileURLToPath(new URL("../../packages/cli/src/main.ts", import.meta.url));
let stack: PipelineStack;
let dir: TempDir;
let keyFile: string;
let stateDir: string;

before(async () => {
  stack = await startPipelineStack("local");
  dir = await createTempDir("kino-e2e-cli-");
  keyFile = join(dir.path, "api-key");
  stateDir = join(dir.path, "upload-state");
  await writeFile(keyFile, `${stack.apiKey}\n`);
});
after(async () => {
  await stack?.close();
  await dir?.remove();
});

interface CliRun {
  code: number | null;
  stdout: string;
  progressLines: string[];
}

/** Runs `kino upload` as a user would; `interruptAtPercent` sends Ctrl-C once the upload passes it. */
function kinoUpload(file: string, interruptAtPercent?: number): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", cliMain, "upload", file, "--json", "--gateway", stack.baseUrl, "--api-key-file", keyFile, "--chunk-size", "65536"],
    { env: { ...process.env, KINO_UPLOAD_STATE_DIR: stateDir }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const progressLines: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    const match = /^upload\s+([\d.]+)%/.exec(line);
    if (!match) return;
    progressLines.push(line);
    if (interruptAtPercent !== undefined && Number(match[1]) >= interruptAtPercent && Number(match[1]) < 100) child.kill("SIGINT");
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, progressLines })));
}

test("kino upload: Ctrl-C interrupts it, the same command resumes it, --json reports READY", async () => {
  // Big enough (about 2 MiB, 35 chunks) that Ctrl-C lands well before the end.
  const clip = await makeClip(join(dir.path, "holiday.mp4"), { width: 960, height: 540, seconds: 4 });

  const first = await kinoUpload(clip, 10);
  assert.equal(first.code, 130, first.stdout);
  assert.equal(JSON.parse(first.stdout).status, "INTERRUPTED");
  assert.equal((await readdir(stateDir)).length, 1, "the interrupted upload is remembered");

  const second = await kinoUpload(clip);
  assert.equal(second.code, 0, second.stdout);
  const result = JSON.parse(second.stdout) as {
    videoId: string;
    status: string;
    reason: string;
    playbackUrl: string;
    renditions: { name: string; quality?: { ssim: number; psnrDb: number; framesCompared: number } }[];
  };
  assert.equal(result.status, "READY");
  assert.deepEqual(result.renditions.map((r) => [r.name, r.quality?.framesCompared]), [["480p", 4], ["360p", 4], ["240p", 4]], "each rung with its quality report (4 frames of a 4 s clip)");
  assert.ok(result.renditions.every((r) => r.quality!.ssim > 0.9), JSON.stringify(result.renditions));
  assert.equal(result.reason, "");
  assert.equal(result.videoId, JSON.parse(first.stdout).videoId, "the same video, not a second one");
  const resumedFrom = Number(/([\d.]+)%/.exec(second.progressLines[0]!)![1]);
  assert.ok(resumedFrom >= 10, `resumed from ${resumedFrom}%, not from the start`);
  assert.equal((await fetch(result.playbackUrl)).status, 200);
  assert.deepEqual(await readdir(stateDir), [], "nothing left to resume");
});

test("kino upload: a file that is not a video exits 1 with the reason", async () => {
  const notes = join(dir.path, "notes.mp4");
  await writeFile(notes, "meeting notes\n".repeat(100));
  const run = await kinoUpload(notes);
  assert.equal(run.code, 1);
  const result = JSON.parse(run.stdout) as { status: string; reason: string; playbackUrl: string };
  assert.equal(result.status, "FAILED");
  assert.equal(result.reason, "not a video file");
  assert.equal(result.playbackUrl, "");
});
