import { KinoError } from "@kino/platform";

/*
 * ClickHouse 18.16 has no server-side query parameters (`{name:Type}` and
 * `param_*` arrived in 19.x; @clickhouse/client's `query_params` fails there
 * with "Unknown setting param_…"). Values are therefore written into the SQL
 * as literals, only through these functions.
 */

/** A single-quoted ClickHouse string literal. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\0/g, "\\0")}'`;
}

/** A DateTime literal from a JS Date, timezone-independent (Unix seconds). */
export function dateTimeLiteral(value: Date): string {
  const seconds = Math.floor(value.getTime() / 1000);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 0xffffffff) {
    throw new KinoError("invalid_argument", `time out of range for ClickHouse DateTime: ${String(value)}`);
  }
  return `toDateTime(${seconds})`;
}

/** A non-negative integer literal. */
export function uintLiteral(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new KinoError("invalid_argument", `expected a non-negative integer, got ${value}`);
  return String(value);
}

/** A database or table name; only plain identifiers are accepted. */
export function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new KinoError("invalid_argument", `not a plain identifier: ${JSON.stringify(name)}`);
  return name;
}
