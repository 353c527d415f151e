import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { publishMessage, type Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import { VideoEventSchema } from "@kino/proto/events/v1";
import type { JetStreamClient } from "nats";
import type { JobProgress } from "../pool/job.ts";
import { CATALOG_CALL_TIMEOUT_MS, type LifecycleClient } from "./lifecycle-client.ts";

export interface ProgressReporterOptions {
  lifecycle: LifecycleClient;
  js: JetStreamClient;
  topology: Topology;
  videoId: string;
  ownerId: string;
  /** Makes the event ids of this attempt unique. */
  outputId: string;
  logger: Logger;
  /** At most one report per this many milliseconds. */
  intervalMs?: number;
}

export interface ProgressReporter {
  /** Takes every progress message of the job; passes the encoder's on, throttled. */
  report(progress: JobProgress): void;
  /** Stops reporting and waits for a report still on its way. */
  close(): Promise<void>;
}

/**
 * ffmpeg's progress, as the catalog (GetVideo, WatchVideo) and the event
 * stream's subscribers see it. Reporting is best effort: a report that
 * fails is logged and the next one carries newer numbers anyway, and a
 * report still in flight makes newer ones be skipped rather than pile up.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const { lifecycle, js, topology, videoId, logger } = options;
  const intervalMs = options.intervalMs ?? 1000;
  let lastAt = -Infinity;
  let sequence = 0;
  let closed = false;
  let inFlight: Promise<void> | undefined;

  async function send(progress: { percent: number; fps: number; speed: number }): Promise<void> {
    const event = create(VideoEventSchema, {
      eventId: `${videoId}.progress.${options.outputId}.${++sequence}`,
      videoId,
      ownerId: options.ownerId,
      time: timestampFromDate(new Date()),
      kind: { case: "progress", value: progress },
    });
    const results = await Promise.allSettled([
      lifecycle.reportProgress({ videoId, ...progress }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS }),
      publishMessage(js, topology.videoEventSubject("progress"), VideoEventSchema, event, event.eventId),
    ]);
    for (const result of results) if (result.status === "rejected") logger.debug({ err: result.reason }, "progress report failed");
  }

  return {
    report(progress) {
      if (closed || progress.stage !== "encode" || progress.percent === undefined || inFlight) return;
      const now = performance.now();
      if (now - lastAt < intervalMs) return;
      lastAt = now;
      inFlight = send({ percent: progress.percent, fps: progress.fps ?? 0, speed: progress.speed ?? 0 }).finally(() => (inFlight = undefined));
    },
    async close() {
      closed = true;
      await inFlight;
    },
  };
}
