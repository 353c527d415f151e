import { KinoError } from "@kino/platform";

const connectionErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart).
const unavailableSqlStates = /^(08|57P)/;

/** True when the error means PostgreSQL could not be reached, as opposed to a query that failed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (connectionErrorCodes.has(code) || unavailableSqlStates.test(code))) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connection.*(closed|ended)/i.test(error.message);
}

/** Turns a failed database call into a KinoError; unknown failures stay internal. */
export function databaseError(error: unknown): KinoError {
  if (error instanceof KinoError) return error;
  if (isDatabaseUnavailable(error)) return new KinoError("unavailable", "database is unavailable", { cause: error });
  return new KinoError("internal", "database query failed", { cause: error });
}
