import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
// Otherwise buffers are freed on a background thread and still counted just after gc().
setFlagsFromString("--no-concurrent-array-buffer-sweeping");
// A context created after --expose-gc is set offers gc() without a command-line flag.
const collectGarbage = runInNewContext("gc") as () => void;

function liveBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Runs `work` and returns it with the peak growth of live memory (JS heap plus
 * buffers) over the samples `work` takes by calling `sample`, typically as
 * data flows. Garbage is collected before each sample, so the figure counts
 * what is retained, not what the collector has yet to free. (A timer would
 * miss peaks: streams that never wait on I/O starve it.)
 */
export async function measurePeakGrowth<T>(work: (sample: () => void) => Promise<T>): Promise<{ result: T; peakGrowth: number }> {
  const baseline = liveBytes();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, liveBytes());
  };
  const result = await work(sample);
  sample();
  return { result, peakGrowth: peak - baseline };
}
