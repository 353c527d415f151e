const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];

/** "20 GiB", "1.5 MiB", "512 bytes": a size as people read it in error messages. */
export function describeBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit]}`;
}
