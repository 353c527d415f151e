/** A one-line progress bar on a terminal; on anything else, a line per 10 %. */
export interface ProgressBar {
  update(fraction: number, detail?: string): void;
  done(message?: string): void;
}

const width = 30;

export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr, enabled = true): ProgressBar {
  if (!enabled) return { update() {}, done() {} };
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(fraction, detail = "") {
      const clamped = Math.min(1, Math.max(0, fraction));
      const percent = (clamped * 100).toFixed(1).padStart(5);
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && clamped < 1) return;
        lastDraw = now;
        const filled = Math.round(clamped * width);
        stream.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${percent}% ${detail}\u001b[K`);
        return;
      }
      const decile = Math.floor(clamped * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${label} ${percent}% ${detail}\n`);
      }
    },
    done(message) {
      if (stream.isTTY) stream.write(`\r\u001b[K`);
      if (message) stream.write(`${label} ${message}\n`);
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
