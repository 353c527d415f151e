export interface SegmentSize {
  durationSeconds: number;
  sizeBytes: number;
}

export interface Bandwidth {
  /** HLS BANDWIDTH: peak segment bit rate, bits per second. */
  peak: number;
  /** HLS AVERAGE-BANDWIDTH: all segment bytes over all segment time. */
  average: number;
}

/**
 * Bit rates as RFC 8216 §4.3.4.2 defines them. The peak is the highest rate
 * of any run of consecutive segments lasting 0.5 to 1.5 target durations,
 * so a short final segment cannot inflate it on its own.
 */
export function measureBandwidth(segments: readonly SegmentSize[], targetDurationSeconds: number): Bandwidth {
  const totalBytes = segments.reduce((sum, s) => sum + s.sizeBytes, 0);
  const totalSeconds = segments.reduce((sum, s) => sum + s.durationSeconds, 0);
  if (totalSeconds <= 0) return { peak: 0, average: 0 };
  const min = targetDurationSeconds * 0.5;
  const max = targetDurationSeconds * 1.5;
  let peak = 0;
  for (let start = 0; start < segments.length; start++) {
    let bytes = 0;
    let seconds = 0;
    for (let end = start; end < segments.length; end++) {
      bytes += segments[end]!.sizeBytes;
      seconds += segments[end]!.durationSeconds;
      if (seconds > max) break;
      if (seconds >= min) peak = Math.max(peak, (bytes * 8) / seconds);
    }
  }
  const average = (totalBytes * 8) / totalSeconds;
  // A media shorter than half a target duration has no qualifying run: its only rate is the average.
  return { peak: Math.ceil(Math.max(peak, average)), average: Math.ceil(average) };
}
