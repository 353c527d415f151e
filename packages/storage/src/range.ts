import { StorageError } from "./errors.ts";
import type { ByteRange } from "./storage.ts";

function describe(range: ByteRange): string {
  return `${range.start}-${range.end ?? ""}`;
}

/** Rejects a malformed range before any I/O. */
export function checkRange(key: string, range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new StorageError("invalid_range", `range ${describe(range)} of ${key} is malformed`);
  }
}

/** The inclusive bounds to serve from an object of `size` bytes; an end past the object is clamped, as in HTTP. */
export function resolveRange(key: string, range: ByteRange, size: number): { start: number; end: number } {
  checkRange(key, range);
  if (range.start >= size) {
    throw new StorageError("invalid_range", `range ${describe(range)} starts beyond the ${size} bytes of ${key}`);
  }
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** `bytes=start-end` for an HTTP Range header. */
export function rangeHeader(range: ByteRange): string {
  return `bytes=${describe(range)}`;
}
