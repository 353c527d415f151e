import type { MessagePort } from "node:worker_threads";
import type { JobFailure } from "./job-failure.ts";
import type { ChunkPlan, RangeRecord } from "../ranges/chunk-plan.ts";
import type { JobProgress, Publication, SplitJobResult, TranscodeJob, TranscodeJobResult } from "./job.ts";
import type { RangeTask } from "./range-job.ts";

/** What the main thread hands a worker per job (a whole video, or one range of a chunked one); `port` is transferred with it. */
export type WorkerTask = { job: TranscodeJob; port: MessagePort } | { range: RangeTask; port: MessagePort };

/** Fixed per pool, passed once as piscina's workerData. */
export interface TranscodeWorkerSettings {
  logLevel: string;
  tempRoot?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
}

export type WorkerOutcome = { ok: true; result: TranscodeJobResult | SplitJobResult | RangeRecord } | { ok: false; failure: JobFailure };

/**
 * main → worker over the job's port. A publication (or a split) is
 * answered "published" once the catalog took it (or the ranges are
 * queued), or "refused" when another attempt owns the video: the worker
 * waits for the answer before going on.
 */
export type ControlMessage = { type: "abort" } | { type: "published" } | { type: "refused"; reason: string };

/** worker → main over the job's port */
export type ProgressMessage = { type: "progress"; progress: JobProgress } | { type: "publish"; publication: Publication } | { type: "split"; plan: ChunkPlan };
