import { FfmpegError, measureQuality, type MeasureQualityOptions, type RenditionQuality } from "@kino/media";
import type { Logger } from "@kino/platform";

/** Each rung's report, by rung name, and a warning when any rung has none. */
export interface LadderQuality {
  reports: ReadonlyMap<string, RenditionQuality>;
  warning?: string;
}

function describe(error: unknown): string {
  if (FfmpegError.is(error)) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The quality report of the encoded ladder, which, like an auxiliary
 * output, never fails the video: a rung that cannot be measured is
 * published without a report, with a warning. Rejects only when `signal`
 * aborts (the job is stopping).
 */
export async function measureLadderQuality(options: MeasureQualityOptions & { logger: Logger }): Promise<LadderQuality> {
  const { logger, ...measure } = options;
  const names = measure.rungs.map((r) => r.rendition.name);
  try {
    const reports = await measureQuality(measure);
    const missing = names.filter((name) => !reports.has(name));
    if (missing.length === 0) return { reports };
    logger.warn({ output: "quality", missing }, "no quality report for some rungs; publishing them without one");
    return { reports, warning: `no quality report for ${missing.join(", ")}` };
  } catch (error) {
    options.signal?.throwIfAborted();
    logger.warn({ output: "quality", err: error }, "no quality report could be made; publishing without one");
    return { reports: new Map(), warning: `no quality report could be made (${describe(error)})` };
  }
}
