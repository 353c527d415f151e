import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { silentLogger, type Logger } from "@kino/platform";
import type { Storage } from "@kino/storage";
import { MASTER_PLAYLIST_NAME, POSTER_NAME, transcodeToHls } from "@kino/media";
import { deleteOutputs, uploadOutputs } from "../outputs/upload-outputs.ts";
import type { JobProgress, TranscodeJob, TranscodeJobResult } from "./job.ts";
import { makeScratchDir } from "./scratch-dir.ts";

export interface RunTranscodeJobOptions {
  storage: Storage;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** Where the job's scratch directory is made; the OS temp dir by default. */
  tempRoot?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  logger?: Logger;
}

/** Reports whole-percent steps only, so a fast download does not flood the port. */
function byteCounter(total: number, report: (percent: number) => void): Transform {
  let seen = 0;
  let lastPercent = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      const percent = total > 0 ? Math.floor((seen / total) * 100) : 0;
      if (percent !== lastPercent) {
        lastPercent = percent;
        report(percent);
      }
      callback(null, chunk);
    },
  });
}

/**
 * A whole job on this host: fetch the source, encode and package it, publish
 * the package under a prefix of its own, and leave no scratch files behind,
 * whether it succeeds, fails or is aborted.
 */
export async function runTranscodeJob(job: Omit<TranscodeJob, "storage">, options: RunTranscodeJobOptions): Promise<TranscodeJobResult> {
  const { storage, signal } = options;
  const logger = (options.logger ?? silentLogger()).child({ videoId: job.videoId, outputId: job.outputId });
  const report = options.onProgress ?? (() => {});
  const scratch = await makeScratchDir(options.tempRoot ?? tmpdir());
  try {
    // The local name is ours: nothing the uploader chose reaches a path or an ffmpeg argument.
    const sourcePath = join(scratch, "source");
    const outDir = join(scratch, "out");
    await mkdir(outDir);

    report({ stage: "download", percent: 0 });
    const source = await storage.get(job.sourceKey);
    await pipeline(source.body, byteCounter(source.info.size, (percent) => report({ stage: "download", percent })), createWriteStream(sourcePath), { signal });
    logger.info({ bytes: source.info.size }, "source downloaded");

    const hls = await transcodeToHls({
      sourcePath,
      workDir: outDir,
      videoId: job.videoId,
      preset: job.preset,
      segmentSeconds: job.segmentSeconds,
      signal,
      logger,
      ffmpegPath: options.ffmpegPath,
      ffprobePath: options.ffprobePath,
      onProgress: (event) =>
        report({
          stage: "encode",
          ...(event.percent !== undefined ? { percent: event.percent } : {}),
          ...(event.speed !== undefined ? { speed: event.speed } : {}),
          ...(event.fps !== undefined ? { fps: event.fps } : {}),
        }),
    });

    report({ stage: "upload", percent: 0 });
    const uploaded = await uploadOutputs({
      storage,
      videoId: job.videoId,
      outputId: job.outputId,
      localDir: outDir,
      files: hls.files,
      signal,
      onFileUploaded: (done, total) => report({ stage: "upload", percent: (done / total) * 100 }),
    }).catch(async (error: unknown) => {
      // Half a package is garbage no playlist will ever point at; the retry publishes under a new outputId.
      await deleteOutputs(storage, job.videoId, job.outputId).catch((cleanupError: unknown) =>
        logger.warn({ err: cleanupError }, "could not remove a partly uploaded package; its prefix must be cleaned up later"),
      );
      throw error;
    });
    logger.info({ prefix: uploaded.prefix, files: uploaded.keys.length }, "outputs published");

    const keyOf = (file: string) => uploaded.keys[hls.files.indexOf(file)];
    const posterKey = keyOf(POSTER_NAME);
    return {
      videoId: job.videoId,
      outputId: job.outputId,
      prefix: uploaded.prefix,
      masterKey: keyOf(MASTER_PLAYLIST_NAME)!,
      ...(posterKey ? { posterKey } : {}),
      durationSeconds: hls.durationSeconds,
      renditions: hls.renditions,
      keys: uploaded.keys,
      warnings: hls.auxiliary.flatMap((report) => ("missing" in report ? [{ output: report.output, message: report.warning }] : [])),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
