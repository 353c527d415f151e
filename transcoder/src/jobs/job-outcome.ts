/**
 * How one delivery of a job ended:
 * - ready: this attempt's outputs are what the catalog serves.
 * - split: a plan job queued its video's ranges and made the rest; the last range recorded joins them.
 * - recorded: a range job's range is recorded (by this attempt or an earlier one).
 * - superseded: another attempt won, or the video was failed or deleted meanwhile; outputs removed.
 * - already_done: the video was READY, FAILED or DELETED before this delivery started.
 * - retry: the encode failed and the job goes back for another attempt after a backoff.
 * - failed: the video is FAILED and the job dead-lettered.
 * - handed_back: stopped by shutdown and returned for another host at once.
 * - deferred: storage or this host's ffmpeg was unavailable; returned for later (the catalog is waited for in place).
 */
export type JobOutcome = "ready" | "split" | "recorded" | "superseded" | "already_done" | "retry" | "failed" | "handed_back" | "deferred";
