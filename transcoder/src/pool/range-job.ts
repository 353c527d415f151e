import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { readInit, readSegmentTime, shiftSegment } from "@kino/dash";
import { encodeRungs, INIT_SEGMENT_NAME } from "@kino/media";
import { silentLogger, type Logger } from "@kino/platform";
import { mediaKey, type Storage, type StorageConfig } from "@kino/storage";
import type { ChunkPlan, RangeRecord, RangeRung } from "../ranges/chunk-plan.ts";
import { rangeSegmentName, sliceKey } from "../ranges/slice-keys.ts";
import { mapLimit } from "../outputs/map-limit.ts";
import type { JobProgress } from "./job.ts";
import { makeScratchDir } from "./scratch-dir.ts";

/** One range of a chunked video to encode; plain data, so it crosses into a worker thread as is. */
export interface RangeTask {
  plan: ChunkPlan;
  index: number;
  /** Names this attempt's segments; new per attempt. */
  attempt: string;
  storage: StorageConfig;
}

export interface RunRangeJobOptions {
  storage: Storage;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  tempRoot?: string;
  ffmpegPath?: string;
  logger?: Logger;
}

const UPLOAD_CONCURRENCY = 4;

/**
 * Encodes every planned rung of one range from its slice (one decode),
 * moves each segment to its place on the whole video's timeline, and
 * uploads them under names of this attempt. Range 0 also uploads each
 * rung's init segment, which every range shares (same encoder settings, so
 * the same parameter sets): the join checks that by the digests returned.
 */
export async function runRangeJob(task: Omit<RangeTask, "storage">, options: RunRangeJobOptions): Promise<RangeRecord> {
  const { plan, index, attempt } = task;
  const { storage, signal } = options;
  const spec = plan.ranges[index];
  if (!spec) throw new RangeError(`output ${plan.outputId} has no range ${index}`);
  const logger = (options.logger ?? silentLogger()).child({ videoId: plan.videoId, outputId: plan.outputId, range: index, attempt });
  const report = options.onProgress ?? (() => {});
  const scratch = await makeScratchDir(options.tempRoot ?? tmpdir());
  try {
    const slicePath = join(scratch, "slice.mkv");
    const outDir = join(scratch, "out");
    await mkdir(outDir);
    report({ stage: "download", percent: 0 });
    const slice = await storage.get(sliceKey(plan.videoId, plan.outputId, index));
    await pipeline(slice.body, createWriteStream(slicePath), { signal });
    const last = index === plan.ranges.length - 1;
    const seconds = (last ? plan.durationSeconds - (spec.start - plan.ranges[0]!.start) : spec.end - spec.start) || 1;
    const encoded = await encodeRungs({
      input: slicePath,
      plan: plan.ladder,
      rungs: plan.ladder.rungs,
      audio: [],
      outDir,
      ...(plan.preset ? { preset: plan.preset } : {}),
      segmentSeconds: plan.segmentSeconds,
      keyframeTimes: spec.segmentStarts,
      range: { start: plan.sourceStartSeconds + spec.start, end: plan.sourceStartSeconds + spec.end },
      durationSeconds: seconds,
      ffmpegPath: options.ffmpegPath,
      signal,
      onProgress: (event) => report({ stage: "encode", ...(event.percent !== undefined ? { percent: event.percent } : {}), ...(event.speed !== undefined ? { speed: event.speed } : {}), ...(event.fps !== undefined ? { fps: event.fps } : {}) }),
    });
    report({ stage: "upload", percent: 0 });
    const rungs: RangeRung[] = [];
    for (const finished of encoded.rungs) {
      const name = finished.rendition.name;
      const init = await readFile(join(outDir, name, INIT_SEGMENT_NAME));
      const initInfo = readInit(init);
      const { timescale } = initInfo;
      const ticks = Math.round((spec.start - plan.ranges[0]!.start) * timescale);
      if (finished.segmentDurations.length !== spec.segmentStarts.length) {
        // The join still makes one continuous timeline; only rung switching at this range's cuts may be less clean.
        logger.warn({ rung: name, planned: spec.segmentStarts.length, made: finished.segmentDurations.length }, "a range cut a different number of segments than planned");
      }
      const segmentFiles = finished.files.filter((f) => f.endsWith(".m4s")).map((file, position) => ({ file, position }));
      const segments = await mapLimit(segmentFiles, UPLOAD_CONCURRENCY, async ({ file, position }) => {
        const shifted = shiftSegment(await readFile(join(outDir, file)), ticks, spec.firstSegment);
        const segmentName = rangeSegmentName(spec.firstSegment + position, attempt);
        signal?.throwIfAborted();
        await storage.put(mediaKey(plan.videoId, plan.outputId, name, segmentName), shifted, { contentType: "video/iso.segment" });
        const time = readSegmentTime(shifted, initInfo);
        return { file: segmentName, durationSeconds: finished.segmentDurations[position]!, sizeBytes: shifted.length, start: time.start, ticks: time.duration };
      });
      if (index === 0) await storage.put(mediaKey(plan.videoId, plan.outputId, name, INIT_SEGMENT_NAME), init, { contentType: "video/mp4" });
      rungs.push({ name, codecs: finished.video.codecs, initSha256: createHash("sha256").update(init).digest("hex"), timescale, segments });
    }
    logger.info({ seconds, rungs: rungs.map((r) => `${r.name}:${r.segments.length}`) }, "range encoded and uploaded");
    return { attempt, rungs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
