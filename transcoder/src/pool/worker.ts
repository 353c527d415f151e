import { createLogger } from "@kino/platform";
import { createStorage } from "@kino/storage";
import { workerData } from "piscina";
import { toJobFailure } from "./job-failure.ts";
import type { ChunkPlan } from "../ranges/chunk-plan.ts";
import type { JobProgress, Publication } from "./job.ts";
import { runRangeJob } from "./range-job.ts";
import { runTranscodeJob } from "./transcode-job.ts";
import type { ControlMessage, ProgressMessage, TranscodeWorkerSettings, WorkerOutcome, WorkerTask } from "./worker-protocol.ts";

const settings = workerData as TranscodeWorkerSettings;
const logger = createLogger({ name: "transcoder-worker", level: settings.logLevel });

/**
 * Piscina task: one whole job, or one range of a chunked video, in this worker thread. Aborts arrive as a
 * message rather than through piscina's own signal, because piscina stops a
 * running task by terminating the thread, which would orphan the ffmpeg
 * child process and its scratch directory.
 */
export default async function transcodeTask(task: WorkerTask): Promise<WorkerOutcome> {
  const { port } = task;
  const controller = new AbortController();
  let answer: { resolve(): void; reject(error: Error): void } | undefined;
  port.on("message", (message: ControlMessage) => {
    if (message.type === "abort") controller.abort(new Error("transcode job aborted"));
    else if (message.type === "published") answer?.resolve();
    else answer?.reject(new Error(`publication refused: ${message.reason}`));
  });
  // One question at a time: the job waits for each answer before going on.
  const ask = (message: ProgressMessage) =>
    new Promise<void>((resolve, reject) => {
      answer = { resolve, reject };
      port.postMessage(message);
    });
  const storageConfig = "job" in task ? task.job.storage : task.range.storage;
  const storage = createStorage(storageConfig, logger);
  const common = {
    storage,
    signal: controller.signal,
    onProgress: (progress: JobProgress) => port.postMessage({ type: "progress", progress } satisfies ProgressMessage),
    logger,
    tempRoot: settings.tempRoot,
    ffmpegPath: settings.ffmpegPath,
  };
  try {
    const result =
      "job" in task
        ? await runTranscodeJob(task.job, {
            ...common,
            ffprobePath: settings.ffprobePath,
            publish: (publication: Publication) => ask({ type: "publish", publication }),
            split: (plan: ChunkPlan) => ask({ type: "split", plan }),
          })
        : await runRangeJob(task.range, common);
    return { ok: true, result };
  } catch (error) {
    const failure = toJobFailure(error, controller.signal.aborted);
    const what = "job" in task ? { videoId: task.job.videoId, outputId: task.job.outputId } : { videoId: task.range.plan.videoId, outputId: task.range.plan.outputId, range: task.range.index };
    logger.warn({ ...what, failure: failure.kind, err: error }, "transcode job failed");
    return { ok: false, failure };
  } finally {
    port.close();
    await storage.close();
  }
}
