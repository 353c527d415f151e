import { tmpdir } from "node:os";
import { createAssertionMinter, createGrpcClient, createHealthClient } from "@kino/grpc";
import { connectNats, createTopology, ensureStreams } from "@kino/messaging";
import { createMetricsRegistry, splitListen, startOpsServer, type Logger } from "@kino/platform";
import { ContentKeyService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createStorage, storageFromConfig } from "@kino/storage";
import type { TranscoderConfig } from "./config.ts";
import type { JobHooks } from "./jobs/delivery.ts";
import { startDownloadConsumer } from "./downloads/download-consumer.ts";
import { createSlotGate } from "./consumers/slot-gate.ts";
import { startJobConsumer } from "./jobs/job-consumer.ts";
import { startRangeConsumer } from "./ranges/range-consumer.ts";
import { openRangeStore } from "./ranges/range-store.ts";
import { startDeadLetterWatcher } from "./maintenance/dead-letter-watcher.ts";
import { startDeletedVideoCleaner } from "./maintenance/deleted-video-cleaner.ts";
import { transcoderHealthChecks } from "./ops/health-checks.ts";
import { createTranscoderMetrics } from "./ops/metrics.ts";
import { detectCapacity } from "./pool/capacity.ts";
import { createTranscodePool } from "./pool/create-pool.ts";
import { removeOrphanedScratch } from "./pool/scratch-dir.ts";
import { finishGraceMs } from "./shutdown-budget.ts";

export interface RunningTranscoder {
  readonly opsPort: number;
  /** Jobs this host runs at once. */
  readonly concurrency: number;
  /**
   * Takes no more jobs, lets running ones finish within most of the
   * shutdown timeout, hands back the rest, then closes everything.
   */
  close(): Promise<void>;
}


/** One transcoder host: a pool sized from this machine, the job consumer feeding it, and the queue's housekeeping. */
export function startTranscoder(config: TranscoderConfig, logger: Logger): Promise<RunningTranscoder> {
  return startTranscoderHost(config, logger, {});
}

/** startTranscoder with test hooks; reached through src/testing.ts only. */
export async function startTranscoderHost(config: TranscoderConfig, logger: Logger, hooks: JobHooks): Promise<RunningTranscoder> {
  const storageConfig = storageFromConfig(config);
  const storage = createStorage(storageConfig, logger);
  const topology = createTopology(config.natsPrefix);
  const tempRoot = config.tempDir || tmpdir();
  // Before any job of ours: what is left is a dead transcoder's, or a live one's sharing this root.
  await removeOrphanedScratch(tempRoot, logger);
  const capacity = await detectCapacity({ ffmpegPath: config.ffmpegPath, logger });
  const pool = createTranscodePool({ capacity, logger, ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, tempRoot });
  const nats = await connectNats({ url: config.natsUrl, name: "transcoder", logger });
  await ensureStreams(await nats.jetstreamManager(), topology.streamConfigs());
  const lifecycle = createGrpcClient(VideoLifecycleService, config.catalogUrl, { identity: createAssertionMinter(config.identity) });
  const contentKeys = createGrpcClient(ContentKeyService, config.catalogUrl, { identity: createAssertionMinter(config.identity) });
  const catalogHealth = createHealthClient(config.catalogUrl);
  const registry = createMetricsRegistry("transcoder");
  const ranges = await openRangeStore(nats.jetstream(), topology.rangeBucket);
  // Whole-video jobs and ranges share the pool's slots; the range consumer lets whole-video jobs go first.
  const slots = createSlotGate(pool.concurrency);

  const settings = {
    maxAttempts: config.maxAttempts,
    ackWaitMs: config.ackWaitMs,
    retryBackoffMs: config.retryBackoffMs,
    preset: config.preset,
    segmentSeconds: config.segmentSeconds,
    rangeSeconds: config.rangeSeconds,
    splitMinSeconds: config.splitMinSeconds,
  };
  const metrics = createTranscoderMetrics(registry, pool);
  const handlerDeps = { pool, lifecycle, contentKeys, storage, storageConfig, js: nats.jetstream(), topology, settings, metrics, logger, hooks, ranges };
  const jobs = await startJobConsumer({ ...handlerDeps, nats, slots });
  const rangeJobs = await startRangeConsumer({ ...handlerDeps, nats, slots, logger: logger.child({ component: "ranges" }) });
  const downloads = await startDownloadConsumer({
    nats,
    topology,
    lifecycle,
    storage,
    settings: { maxAttempts: config.maxAttempts, ackWaitMs: config.ackWaitMs, retryBackoffMs: config.retryBackoffMs },
    tempRoot,
    ffmpegPath: config.ffmpegPath,
    logger: logger.child({ component: "downloads" }),
  });
  const deadLetters = await startDeadLetterWatcher({ nats, topology, lifecycle, storage, logger });
  const deletions = await startDeletedVideoCleaner({ nats, topology, storage, logger });
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: transcoderHealthChecks({ nats, catalogHealth, storage }),
    registry,
  });
  logger.info({ opsPort: ops.port, concurrency: pool.concurrency }, "transcoder running");

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    const grace = finishGraceMs(config.shutdownTimeoutMs);
    const finished = Promise.all([jobs.idle(grace), rangeJobs.idle(grace), downloads.idle(grace)]);
    await Promise.all([jobs.stopTaking(), rangeJobs.stopTaking(), downloads.stopTaking(), deadLetters.stop(), deletions.stop()]);
    if (!(await finished).every(Boolean)) {
      logger.warn({ running: jobs.running }, "jobs still running at the shutdown deadline; handing them back");
      jobs.handBackAll();
      rangeJobs.handBackAll();
      downloads.handBackAll();
      await Promise.all([jobs.idle(config.shutdownTimeoutMs), rangeJobs.idle(config.shutdownTimeoutMs), downloads.idle(config.shutdownTimeoutMs)]);
    }
    await Promise.all([deadLetters.idle(config.shutdownTimeoutMs), deletions.idle(config.shutdownTimeoutMs)]);
    await pool.close();
    await ops.close();
    await nats.drain();
    lifecycle.close();
    contentKeys.close();
    catalogHealth.close();
    await storage.close();
  }

  return {
    opsPort: ops.port,
    concurrency: pool.concurrency,
    close: () => (closing ??= close()),
  };
}
