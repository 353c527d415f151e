/**
 * Caption timestamps. WebVTT writes `[hh:]mm:ss.ttt`; SRT writes
 * `hh:mm:ss,ttt`. Files in the wild mix the two separators and drop the
 * hours, so both readers accept either separator and optional hours, but
 * never fewer than three fraction digits' worth of meaning: "1.5" is refused
 * rather than guessed.
 */
const timestamp = /^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})$/;

/** The longest media a caption may time, far past any upload the platform accepts. */
export const maxTimestampMs = 100 * 3_600_000;

export function parseTimestamp(text: string): number | undefined {
  const match = timestamp.exec(text);
  if (!match) return undefined;
  const [, hours, minutes, seconds, millis] = match;
  const ms = Number(hours ?? 0) * 3_600_000 + Number(minutes) * 60_000 + Number(seconds) * 1000 + Number(millis);
  return ms <= maxTimestampMs ? ms : undefined;
}

export function formatTimestamp(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(ms % 1000, 3)}`;
}
