import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export function formatTime(time: Timestamp | undefined): string {
  return time ? timestampDate(time).toLocaleString() : "–";
}

export function formatBytes(bytes: number | bigint): string {
  const value = Number(bytes);
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1000 && unit < units.length - 1) {
    scaled /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${scaled.toFixed(1)} ${units[unit]}`;
}
