import { createLogger } from "@kino/platform";
import { createStorage } from "@kino/storage";
import { workerData } from "piscina";
import { toJobFailure } from "./job-failure.ts";
import type { Publication } from "./job.ts";
import { runTranscodeJob } from "./transcode-job.ts";
import type { ControlMessage, ProgressMessage, TranscodeWorkerSettings, WorkerOutcome, WorkerTask } from "./worker-protocol.ts";

const settings = workerData as TranscodeWorkerSettings;
const logger = createLogger({ name: "transcoder-worker", level: settings.logLevel });

/**
 * Piscina task: one whole job in this worker thread. Aborts arrive as a
 * message rather than through piscina's own signal, because piscina stops a
 * running task by terminating the thread, which would orphan the ffmpeg
 * child process and its scratch directory.
 */
export default async function transcodeTask({ job, port }: WorkerTask): Promise<WorkerOutcome> {
  const controller = new AbortController();
  let answer: { resolve(): void; reject(error: Error): void } | undefined;
  port.on("message", (message: ControlMessage) => {
    if (message.type === "abort") controller.abort(new Error("transcode job aborted"));
    else if (message.type === "published") answer?.resolve();
    else answer?.reject(new Error(`publication refused: ${message.reason}`));
  });
  // One publication at a time: the job waits for each answer before going on.
  const publish = (publication: Publication) =>
    new Promise<void>((resolve, reject) => {
      answer = { resolve, reject };
      port.postMessage({ type: "publish", publication } satisfies ProgressMessage);
    });
  const storage = createStorage(job.storage, logger);
  try {
    const result = await runTranscodeJob(job, {
      storage,
      signal: controller.signal,
      onProgress: (progress) => port.postMessage({ type: "progress", progress } satisfies ProgressMessage),
      publish,
      logger,
      tempRoot: settings.tempRoot,
      ffmpegPath: settings.ffmpegPath,
      ffprobePath: settings.ffprobePath,
    });
    return { ok: true, result };
  } catch (error) {
    const failure = toJobFailure(error, controller.signal.aborted);
    logger.warn({ videoId: job.videoId, outputId: job.outputId, failure: failure.kind, err: error }, "transcode job failed");
    return { ok: false, failure };
  } finally {
    port.close();
    await storage.close();
  }
}
