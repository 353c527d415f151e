/** One `-progress` report of a running ffmpeg. */
export interface FfmpegProgress {
  /** Media time written so far, in seconds of output. */
  outTimeSeconds: number;
  /** Encoding speed in frames per second, when ffmpeg knows it. */
  fps?: number;
  /** Realtime multiple ("2.5x" → 2.5), when ffmpeg knows it. */
  speed?: number;
  /** 0–100 of the expected duration; undefined when the duration is unknown. */
  percent?: number;
  /** ffmpeg's last report: `progress=end`. */
  done: boolean;
}

export interface ProgressParser {
  /** Feed stdout as it arrives; chunks may split lines anywhere. */
  push(chunk: string | Buffer): void;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? n : undefined;
}

/** "00:01:02.500000" → 62.5 */
function clockSeconds(value: string | undefined): number | undefined {
  const match = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value ?? "");
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] ? -seconds : seconds;
}

function outTime(fields: Map<string, string>): number {
  // out_time_us is exact; out_time_ms is misnamed (also microseconds) in ffmpeg 5; out_time is the fallback.
  const micros = number(fields.get("out_time_us")) ?? number(fields.get("out_time_ms"));
  const seconds = micros !== undefined ? micros / 1_000_000 : clockSeconds(fields.get("out_time"));
  return Math.max(0, seconds ?? 0);
}

/**
 * Parses ffmpeg's `-progress` output: blocks of key=value lines, each
 * closed by `progress=continue` or `progress=end`. Values may be "N/A".
 */
export function createProgressParser(options: { durationSeconds?: number; onProgress: (event: FfmpegProgress) => void }): ProgressParser {
  let pending = "";
  let fields = new Map<string, string>();
  const duration = options.durationSeconds;

  function emit(done: boolean): void {
    const outTimeSeconds = outTime(fields);
    const fps = number(fields.get("fps"));
    const speed = number(fields.get("speed"));
    const event: FfmpegProgress = { outTimeSeconds, done };
    if (fps !== undefined) event.fps = fps;
    if (speed !== undefined) event.speed = speed;
    if (duration !== undefined && duration > 0) event.percent = done ? 100 : Math.min(100, (outTimeSeconds / duration) * 100);
    fields = new Map();
    options.onProgress(event);
  }

  function line(text: string): void {
    const eq = text.indexOf("=");
    if (eq <= 0) return;
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (key === "progress") emit(value === "end");
    else fields.set(key, value);
  }

  return {
    push(chunk) {
      pending += chunk.toString();
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const l of lines) line(l);
    },
  };
}
