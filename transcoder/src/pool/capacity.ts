import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import type { Logger } from "@kino/platform";

const execFileAsync = promisify(execFile);

export interface TranscodeCapacity {
  /** Concurrent libx264 ladder jobs this host runs well. */
  cpuSlots: number;
  /** Concurrent NVENC jobs; 0 unless an encode on the GPU actually worked. */
  gpuSlots: number;
  nvenc: boolean;
}

export interface DetectCapacityOptions {
  ffmpegPath?: string;
  nvidiaSmiPath?: string;
  logger: Logger;
  /** Defaults to os.availableParallelism(). */
  cores?: number;
}

// Longest a probe may take; a wedged driver must not block startup.
const PROBE_TIMEOUT_MS = 20_000;

/**
 * A ladder job is one ffmpeg process whose libx264 encoders already spread
 * over several threads each, so one job per core oversubscribes the CPU and
 * slows every job. Two cores per job keeps cores busy (decode, filters and
 * the encoders' serial parts interleave) while bounding the memory of
 * concurrent 1080p frame queues.
 */
export function cpuSlotsFor(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

async function nvencWorks(ffmpegPath: string): Promise<boolean> {
  try {
    // ffmpeg lists h264_nvenc whenever it was built with it; only a real encode proves a GPU and driver are there.
    await execFileAsync(ffmpegPath, ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=black:s=256x256:d=0.1", "-c:v", "h264_nvenc", "-f", "null", "-"], {
      timeout: PROBE_TIMEOUT_MS,
    });
    return true;
  } catch {
    return false;
  }
}

async function gpuCount(nvidiaSmiPath: string, logger: Logger): Promise<number> {
  try {
    const { stdout } = await execFileAsync(nvidiaSmiPath, ["-L"], { timeout: PROBE_TIMEOUT_MS });
    return Math.max(1, stdout.split("\n").filter((line) => line.startsWith("GPU ")).length);
  } catch (error) {
    logger.warn({ err: error }, "nvenc works but nvidia-smi -L failed; assuming one GPU");
    return 1;
  }
}

/**
 * What this host can run at once, detected rather than configured: one
 * job per GPU (a ladder job already opens one NVENC session per rung, and
 * consumer cards cap sessions), CPU slots from the core count.
 */
export async function detectCapacity(options: DetectCapacityOptions): Promise<TranscodeCapacity> {
  const cores = options.cores ?? availableParallelism();
  const nvenc = await nvencWorks(options.ffmpegPath ?? "ffmpeg");
  const gpuSlots = nvenc ? await gpuCount(options.nvidiaSmiPath ?? "nvidia-smi", options.logger) : 0;
  const capacity = { cpuSlots: cpuSlotsFor(cores), gpuSlots, nvenc };
  options.logger.info({ cores, ...capacity }, "transcode capacity detected");
  return capacity;
}
