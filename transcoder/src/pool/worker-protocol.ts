import type { MessagePort } from "node:worker_threads";
import type { JobFailure } from "./job-failure.ts";
import type { JobProgress, Publication, TranscodeJob, TranscodeJobResult } from "./job.ts";

/** What the main thread hands a worker per job; `port` is transferred with it. */
export interface WorkerTask {
  job: TranscodeJob;
  port: MessagePort;
}

/** Fixed per pool, passed once as piscina's workerData. */
export interface TranscodeWorkerSettings {
  logLevel: string;
  tempRoot?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
}

export type WorkerOutcome = { ok: true; result: TranscodeJobResult } | { ok: false; failure: JobFailure };

/**
 * main → worker over the job's port. A publication is answered "published"
 * once the catalog took it, or "refused" when another attempt owns the
 * video: the worker waits for the answer before encoding on.
 */
export type ControlMessage = { type: "abort" } | { type: "published" } | { type: "refused"; reason: string };

/** worker → main over the job's port */
export type ProgressMessage = { type: "progress"; progress: JobProgress } | { type: "publish"; publication: Publication };
