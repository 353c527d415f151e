/**
 * How a graceful stop's time is split: running jobs get most of it to
 * finish; the rest is kept for stopping the stragglers' ffmpeg, handing
 * their jobs back and closing connections.
 */
export function finishGraceMs(shutdownTimeoutMs: number): number {
  const reserve = Math.min(10_000, Math.max(1000, Math.floor(shutdownTimeoutMs / 4)));
  return Math.max(0, shutdownTimeoutMs - reserve);
}
