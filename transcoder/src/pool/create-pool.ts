import { MessageChannel } from "node:worker_threads";
import type { Logger } from "@kino/platform";
import { Piscina } from "piscina";
import type { TranscodeCapacity } from "./capacity.ts";
import { fromJobFailure } from "./job-failure.ts";
import type { ChunkPlan, RangeRecord } from "../ranges/chunk-plan.ts";
import type { JobProgress, Publication, SplitJobResult, TranscodeJob, TranscodeJobResult } from "./job.ts";
import type { RangeTask } from "./range-job.ts";
import type { ControlMessage, ProgressMessage, TranscodeWorkerSettings, WorkerOutcome, WorkerTask } from "./worker-protocol.ts";

export interface CreateTranscodePoolOptions {
  capacity: TranscodeCapacity;
  logger: Logger;
  /** Where jobs make their scratch directories; the OS temp dir by default. */
  tempRoot?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
}

export interface RunJobOptions {
  /** Stops the job: ffmpeg is killed, scratch files removed, the run rejects with the signal's reason. */
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /**
   * Takes each master playlist the job uploads before its end to the
   * catalog; a rejection (another attempt owns the video) stops the job,
   * which then rejects. Without it every publication is taken as it comes.
   */
  onPublish?: (publication: Publication) => Promise<void>;
  /** Takes a chunked video's plan (see RunTranscodeJobOptions.split); a job without it never splits. */
  onSplit?: (plan: ChunkPlan) => Promise<void>;
}

export interface TranscodePool {
  /** Jobs run at once; more wait in the pool's queue. */
  readonly concurrency: number;
  readonly running: number;
  readonly queued: number;
  /**
   * Runs one job in a worker thread. Rejects with the error the job hit:
   * UnplayableSourceError (give up), FfmpegError or StorageError.
   */
  run(job: TranscodeJob, options?: RunJobOptions & { onSplit?: undefined }): Promise<TranscodeJobResult>;
  /** With onSplit, a long source may be split instead of encoded here. */
  run(job: TranscodeJob, options: RunJobOptions): Promise<TranscodeJobResult | SplitJobResult>;
  /** Encodes one range of a chunked video in a worker thread; rejects like run. */
  runRange(task: RangeTask, options?: Pick<RunJobOptions, "signal" | "onProgress">): Promise<RangeRecord>;
  /** Waits for running and queued jobs (abort them to stop sooner), then stops the threads. */
  close(): Promise<void>;
}

/*
 * Worker threads inherit the main thread's execArgv, so a process started
 * with `node --import tsx` (or the tsx CLI, which adds its loader there) has
 * tsx in every worker and piscina imports the .ts worker file directly,
 * given as a file URL.
 */
const WORKER_FILE = new URL("./worker.ts", import.meta.url).href;

export function createTranscodePool(options: CreateTranscodePoolOptions): TranscodePool {
  const { capacity, logger } = options;
  // The ladder encodes with libx264 only; GPU slots are detected and reported
  // but add no threads until an NVENC encode path exists.
  const concurrency = capacity.cpuSlots;
  const settings: TranscodeWorkerSettings = {
    logLevel: logger.level,
    ...(options.tempRoot ? { tempRoot: options.tempRoot } : {}),
    ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    ...(options.ffprobePath ? { ffprobePath: options.ffprobePath } : {}),
  };
  const piscina = new Piscina<WorkerTask, WorkerOutcome>({
    filename: WORKER_FILE,
    minThreads: 1,
    maxThreads: concurrency,
    concurrentTasksPerWorker: 1,
    workerData: settings,
  });
  // Submitted and not yet settled: running ones plus those in piscina's queue.
  let inFlight = 0;
  logger.info({ concurrency, gpuSlots: capacity.gpuSlots }, "transcode pool created");

  async function submit(task: { job: TranscodeJob } | { range: RangeTask }, runOptions: RunJobOptions): Promise<TranscodeJobResult | SplitJobResult | RangeRecord> {
    const { signal, onProgress, onPublish, onSplit } = runOptions;
    signal?.throwIfAborted();
    const { port1, port2 } = new MessageChannel();
    port1.on("message", (message: ProgressMessage) => {
      if (message.type === "progress") return onProgress?.(message.progress);
      const answered = message.type === "publish" ? onPublish?.(message.publication) : onSplit?.(message.plan);
      void (answered ?? Promise.resolve()).then(
        () => port1.postMessage({ type: "published" } satisfies ControlMessage),
        (error: unknown) => port1.postMessage({ type: "refused", reason: String((error as Error)?.message ?? error) } satisfies ControlMessage),
      );
    });
    // Posted even while the job is still queued: the worker reads it first thing and stops at once.
    const onAbort = () => port1.postMessage({ type: "abort" } satisfies ControlMessage);
    signal?.addEventListener("abort", onAbort, { once: true });
    inFlight++;
    try {
      const outcome = await piscina.run({ ...task, port: port2 }, { transferList: [port2] });
      if (outcome.ok) return outcome.result;
      if (outcome.failure.kind === "aborted") throw signal?.reason ?? new Error("transcode job aborted");
      throw fromJobFailure(outcome.failure);
    } finally {
      inFlight--;
      signal?.removeEventListener("abort", onAbort);
      port1.close();
    }
  }

  return {
    concurrency,
    get running() {
      return inFlight - piscina.queueSize;
    },
    get queued() {
      return piscina.queueSize;
    },
    run: ((job: TranscodeJob, runOptions: RunJobOptions = {}) => submit({ job }, runOptions)) as TranscodePool["run"],
    runRange: (range, runOptions = {}) => submit({ range }, runOptions) as Promise<RangeRecord>,
    close: () => piscina.close(),
  };
}
