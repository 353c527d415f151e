import { mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@kino/platform";

/**
 * A process as Linux knows it across time: a pid is reused, but not with
 * the same start time within one boot, and it names one process only in its
 * PID namespace. What a scratch directory's name records of its owner, so a
 * later start can tell whether the owner lives.
 */
export interface ProcessIdentity {
  /** /proc/sys/kernel/random/boot_id without dashes. */
  bootId: string;
  /** Inode of /proc/self/ns/pid: containers sharing a temp root see each other's pids as strangers'. */
  pidNamespace: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot when the process started. */
  startTicks: string;
}

export const SCRATCH_DIR_PREFIX = "kino-transcode-";
// kino-transcode-<boot id>-<pid namespace>-<pid>-<start ticks>-<mkdtemp's six characters>
const OWNED_NAME = /^kino-transcode-([0-9a-f]{32})-(\d+)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

async function bootId(): Promise<string> {
  return (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim().replaceAll("-", "");
}

/** "pid:[4026531836]" → "4026531836" */
async function pidNamespace(): Promise<string> {
  return (await readlink("/proc/self/ns/pid")).replace(/\D/g, "");
}

/** undefined when no such process runs. */
async function startTicksOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields?.[22 - 3];
}

let own: Promise<ProcessIdentity> | undefined;

/** This process's identity; worker threads share it with the main thread. */
export function ownIdentity(): Promise<ProcessIdentity> {
  own ??= (async () => {
    const startTicks = await startTicksOf(process.pid);
    if (startTicks === undefined) throw new Error(`cannot read /proc/${process.pid}/stat: scratch directories need Linux's /proc to name their owner`);
    return { bootId: await bootId(), pidNamespace: await pidNamespace(), pid: process.pid, startTicks };
  })();
  return own;
}

/** The name prefix of scratch directories `owner` makes. */
export function scratchDirPrefix(owner: ProcessIdentity): string {
  return `${SCRATCH_DIR_PREFIX}${owner.bootId}-${owner.pidNamespace}-${owner.pid}-${owner.startTicks}-`;
}

/** A new scratch directory under `root`, named after this process so a crash leaves it recognisable. */
export async function makeScratchDir(root: string): Promise<string> {
  return mkdtemp(join(root, scratchDirPrefix(await ownIdentity())));
}

type OwnerState = "dead" | "alive" | "unseen";

async function ownerState(owner: ProcessIdentity, self: ProcessIdentity): Promise<OwnerState> {
  if (owner.bootId !== self.bootId) return "dead";
  // Our pid 7 is not theirs: whether it lives cannot be told from here.
  if (owner.pidNamespace !== self.pidNamespace) return "unseen";
  return (await startTicksOf(owner.pid)) === owner.startTicks ? "alive" : "dead";
}

export interface ScratchSweep {
  removed: string[];
  /** Scratch directories of live owners: another transcoder sharing this root, or this process. */
  live: string[];
  /**
   * kino-transcode-* directories whose owner cannot be checked, left alone
   * since nothing says it is dead: none recorded (made before owners were),
   * or one in another PID namespace (another container sharing the root).
   */
  unjudged: string[];
}

/**
 * Removes the scratch directories under `root` whose owner is dead: a
 * transcoder killed mid-job (SIGKILL, OOM, power loss) leaves its source
 * copy and partial outputs behind. Run at start, before any job.
 */
export async function removeOrphanedScratch(root: string, logger: Logger): Promise<ScratchSweep> {
  const sweep: ScratchSweep = { removed: [], live: [], unjudged: [] };
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const self = await ownIdentity();
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(SCRATCH_DIR_PREFIX)) continue;
    const match = OWNED_NAME.exec(entry.name);
    const state = match ? await ownerState({ bootId: match[1]!, pidNamespace: match[2]!, pid: Number(match[3]), startTicks: match[4]! }, self) : "unseen";
    if (state !== "dead") {
      (state === "alive" ? sweep.live : sweep.unjudged).push(entry.name);
      continue;
    }
    try {
      await rm(join(root, entry.name), { recursive: true, force: true });
      sweep.removed.push(entry.name);
    } catch (error) {
      logger.warn({ err: error, dir: entry.name }, "could not remove a dead transcoder's scratch directory");
    }
  }
  if (sweep.removed.length > 0) logger.info({ root, removed: sweep.removed, live: sweep.live.length }, "removed scratch directories of dead transcoders");
  if (sweep.unjudged.length > 0) {
    logger.warn({ root, dirs: sweep.unjudged }, "scratch directories whose owner cannot be checked (none recorded, or another PID namespace) left in place");
  }
  return sweep;
}
