import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@kino/platform";
import { FfmpegError } from "./errors.ts";

/**
 * One way to make an auxiliary output; it writes `path` or throws. An
 * output of several files (a storyboard's sheets) resolves with the others,
 * relative to the package directory, each of which must be written too.
 */
export interface AuxiliaryAttempt {
  /** Says in logs which way worked: "seek to 10%", "first frame". */
  name: string;
  make(path: string, signal?: AbortSignal): Promise<void | readonly string[]>;
}

/**
 * A file that goes with a video but is not the video: a poster, a
 * storyboard, a preview. Missing one never fails a video, so each says how
 * else it can be made, best way first.
 */
export interface AuxiliaryOutput {
  /** Names it in logs, metrics and warnings: "poster". */
  name: string;
  /** The file, relative to the package directory. */
  file: string;
  attempts: readonly AuxiliaryAttempt[];
}

/**
 * What became of one auxiliary output: made (and how; `files` is `file`
 * and whatever it refers to), or missing with a warning a person can read.
 */
export type AuxiliaryReport = { output: string; file: string; files: string[]; madeBy: string } | { output: string; missing: true; warning: string };

export interface ProduceAuxiliaryOptions {
  /** The package directory the outputs' files are written into. */
  dir: string;
  logger: Logger;
  signal?: AbortSignal;
}

async function written(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && info.size > 0;
}

// ffmpeg's own words, not the host path of the program that said them.
function describe(error: unknown): string {
  if (FfmpegError.is(error)) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

async function produce(output: AuxiliaryOutput, options: ProduceAuxiliaryOptions): Promise<AuxiliaryReport> {
  const path = join(options.dir, output.file);
  const failures: string[] = [];
  for (const attempt of output.attempts) {
    try {
      const others = (await attempt.make(path, options.signal)) ?? [];
      // ffmpeg exits 0 without writing when, say, a seek lands past the last decodable frame.
      if (!(await written(path))) throw new Error("wrote nothing");
      for (const other of others) if (!(await written(join(options.dir, other)))) throw new Error(`wrote no ${other}`);
      if (failures.length > 0) options.logger.warn({ output: output.name, madeBy: attempt.name, failures }, "auxiliary output made by a fallback");
      return { output: output.name, file: output.file, files: [...others, output.file], madeBy: attempt.name };
    } catch (error) {
      // An aborted job stops here; it is not a missing output.
      options.signal?.throwIfAborted();
      failures.push(`${attempt.name}: ${describe(error)}`);
    }
  }
  await rm(path, { force: true });
  const warning = `no ${output.name} could be made (${failures.join("; ")})`;
  options.logger.warn({ output: output.name, failures }, "auxiliary output missing; publishing without it");
  return { output: output.name, missing: true, warning };
}

/**
 * Makes every auxiliary output, each by the first of its attempts that
 * writes a file. Resolves with a report per output and rejects only when
 * `signal` aborts: whatever else goes wrong becomes a missing output.
 */
export function produceAuxiliaryOutputs(outputs: readonly AuxiliaryOutput[], options: ProduceAuxiliaryOptions): Promise<AuxiliaryReport[]> {
  return Promise.all(outputs.map((output) => produce(output, options)));
}
