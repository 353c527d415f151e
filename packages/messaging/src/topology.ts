import { DiscardPolicy, RetentionPolicy, StorageType, nanos, type StreamConfig } from "nats";

export type VideoEventKind = "created" | "updated" | "uploaded" | "progress" | "ready" | "failed" | "deleted" | "commented";

/** Stream and subject names: the one place they are spelled. */
export interface Topology {
  streams: { jobs: string; events: string; deadLetters: string };
  transcodeJobSubject: string;
  /** MP4 downloads of READY videos (kino.media.v1.DownloadJob), taken by their own consumer. */
  downloadJobSubject: string;
  /** One step of a video chunked across hosts (kino.media.v1.RangeJob), per video. */
  rangeJobSubject(videoId: string): string;
  /** Every range job, for the consumer that takes them. */
  allRangeJobsSubject: string;
  /** The JetStream key-value bucket where transcoders keep the plans and results of chunked videos. */
  rangeBucket: string;
  transcodeDeadLetterSubject: string;
  videoEventSubject(kind: VideoEventKind): string;
  /** Every kind of video event, for consumers that follow them all. */
  allVideoEventsSubject: string;
  /** Advisory the server publishes when a job ran out of deliveries. */
  maxDeliveriesAdvisorySubject: string;
  streamConfigs(): Partial<StreamConfig>[];
}

const day = 24 * 60 * 60 * 1000;
const duplicateWindow = nanos(10 * 60 * 1000);

/**
 * Kino's streams under one name prefix ("kino" in production; tests pick
 * their own so they can share a server). Jobs is a work queue: each job goes
 * to one transcoder and leaves the stream when acknowledged. Publishes carry
 * message ids, and the duplicate window stores a retried publish once.
 */
export function createTopology(prefix = "kino"): Topology {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`topology prefix must be lower-case letters, digits, '_': ${prefix}`);
  const upper = prefix.toUpperCase();
  const streams = { jobs: `${upper}_JOBS`, events: `${upper}_EVENTS`, deadLetters: `${upper}_DEAD_LETTERS` };
  const maxDeliveriesAdvisorySubject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${streams.jobs}.*`;
  return {
    streams,
    transcodeJobSubject: `${prefix}.jobs.transcode`,
    downloadJobSubject: `${prefix}.jobs.download`,
    rangeJobSubject: (videoId) => `${prefix}.jobs.range.${videoId}`,
    allRangeJobsSubject: `${prefix}.jobs.range.*`,
    rangeBucket: `${upper}_RANGES`,
    transcodeDeadLetterSubject: `${prefix}.dlq.transcode`,
    videoEventSubject: (kind) => `${prefix}.events.video.${kind}`,
    allVideoEventsSubject: `${prefix}.events.video.*`,
    maxDeliveriesAdvisorySubject,
    streamConfigs: () => [
      {
        name: streams.jobs,
        subjects: [`${prefix}.jobs.>`],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: duplicateWindow,
        discard: DiscardPolicy.Old,
      },
      {
        name: streams.events,
        subjects: [`${prefix}.events.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: nanos(7 * day),
        duplicate_window: duplicateWindow,
      },
      {
        name: streams.deadLetters,
        subjects: [`${prefix}.dlq.>`, maxDeliveriesAdvisorySubject],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: nanos(30 * day),
      },
    ],
  };
}
