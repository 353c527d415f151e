import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { createTempDir, type TempDir } from "@kino/testkit";
import { makeScratchDir, ownIdentity, removeOrphanedScratch, scratchDirPrefix } from "../src/index.ts";

const execFileAsync = promisify(execFile);
const scratchModule = new URL("../src/pool/scratch-dir.ts", import.meta.url).href;

let dir: TempDir;
before(async () => {
  dir = await createTempDir("kino-scratch-");
});
after(() => dir.remove());

/** A process that makes a scratch directory the real way, writes into it, and exits: its directory's owner is dead. */
async function scratchOfExitedProcess(root: string): Promise<string> {
  const script = `import { makeScratchDir } from ${JSON.stringify(scratchModule)}; import { writeFile } from "node:fs/promises"; const d = await makeScratchDir(${JSON.stringify(root)}); await writeFile(d + "/source", "half a source"); console.log(d);`;
  const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
  return stdout.trim().split("/").at(-1)!;
}

test("at start, scratch of dead owners goes (exited, pid reused, earlier boot); a live owner's, an unowned one, another PID namespace's and foreign directories stay", async () => {
  const root = dir.path;
  const exited = await scratchOfExitedProcess(root);
  const live = (await makeScratchDir(root)).split("/").at(-1)!;
  await writeFile(join(root, live, "source"), "a running job's source");
  const self = await ownIdentity();
  // This process's pid, but a start time it does not have: a dead owner whose pid was handed on.
  const reused = `${scratchDirPrefix({ ...self, startTicks: String(Number(self.startTicks) + 1) })}AAAAAA`;
  // This very process as named in an earlier boot: /tmp kept across a reboot.
  const earlierBoot = `${scratchDirPrefix({ ...self, bootId: "0".repeat(32) })}BBBBBB`;
  // Another container's transcoder, whose pid 1 is not ours.
  const otherNamespace = `${scratchDirPrefix({ ...self, pidNamespace: "1", pid: 1, startTicks: "5" })}CCCCCC`;
  const unowned = "kino-transcode-Xy12Zq";
  const foreign = "someone-elses-dir";
  for (const name of [reused, earlierBoot, otherNamespace, unowned, foreign]) await mkdir(join(root, name));

  const sweep = await removeOrphanedScratch(root, silentLogger());
  assert.deepEqual(sweep.removed.sort(), [exited, reused, earlierBoot].sort());
  assert.deepEqual(sweep.live, [live]);
  assert.deepEqual(sweep.unjudged.sort(), [otherNamespace, unowned].sort());
  assert.deepEqual((await readdir(root)).sort(), [foreign, live, otherNamespace, unowned].sort());
  assert.deepEqual(await readdir(join(root, live)), ["source"]);
});

test("a temp root that does not exist yet has nothing to sweep", async () => {
  assert.deepEqual(await removeOrphanedScratch(join(dir.path, "missing"), silentLogger()), { removed: [], live: [], unjudged: [] });
});
