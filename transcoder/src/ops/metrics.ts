import type { Registry } from "@kino/platform";
import { Counter, Gauge, Histogram } from "prom-client";
import type { JobOutcome } from "../jobs/job-outcome.ts";

/** What the job handler reports; the Prometheus side stays out of it. */
export interface TranscoderMetrics {
  attemptStarted(): void;
  /** Every delivery's end; `attemptSeconds` when it ran an attempt. */
  deliverySettled(outcome: JobOutcome, attemptSeconds?: number): void;
  /** A video became READY without this auxiliary output ("poster"). */
  auxiliaryOutputMissing(output: string): void;
}

export interface PoolGaugeSource {
  readonly concurrency: number;
  readonly running: number;
}

export function createTranscoderMetrics(registry: Registry, pool: PoolGaugeSource): TranscoderMetrics {
  const started = new Counter({ name: "kino_transcode_jobs_started_total", help: "Transcode attempts started", registers: [registry] });
  const succeeded = new Counter({ name: "kino_transcode_jobs_succeeded_total", help: "Attempts whose outputs became the video's playback", registers: [registry] });
  const failed = new Counter({ name: "kino_transcode_jobs_failed_total", help: "Jobs given up: video FAILED, job dead-lettered", registers: [registry] });
  const retried = new Counter({ name: "kino_transcode_jobs_retried_total", help: "Failed attempts handed back for a retry", registers: [registry] });
  const auxiliaryMissing = new Counter({
    name: "kino_transcode_auxiliary_outputs_missing_total",
    help: "Videos published without an auxiliary output (poster…) that could not be made, by output",
    labelNames: ["output"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "kino_transcode_job_duration_seconds",
    help: "Wall time of one attempt, from the pool run to the catalog's answer, by outcome",
    labelNames: ["outcome"],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
    registers: [registry],
  });
  new Gauge({
    name: "kino_transcode_pool_running",
    help: "Jobs running in this host's pool",
    registers: [registry],
    collect() {
      this.set(pool.running);
    },
  });
  new Gauge({
    name: "kino_transcode_pool_capacity",
    help: "Jobs this host's pool runs at once",
    registers: [registry],
    collect() {
      this.set(pool.concurrency);
    },
  });
  return {
    attemptStarted: () => started.inc(),
    deliverySettled(outcome, attemptSeconds) {
      if (attemptSeconds !== undefined) duration.observe({ outcome }, attemptSeconds);
      if (outcome === "ready") succeeded.inc();
      else if (outcome === "failed") failed.inc();
      else if (outcome === "retry") retried.inc();
    },
    auxiliaryOutputMissing: (output) => auxiliaryMissing.inc({ output }),
  };
}
