import { KinoError } from "@kino/platform";

/**
 * At most `concurrency` renders at once, `queue` more waiting; past that a
 * render is refused (KinoError "unavailable"), so thumbnail requests cannot
 * make the gateway run unbounded ffmpeg work.
 */
export function createRenderLimit(concurrency: number, queue: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queue) throw new KinoError("unavailable", "too many thumbnails are being made; retry shortly");
      await new Promise<void>((turn) => waiting.push(turn));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
