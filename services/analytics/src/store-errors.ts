import { KinoError } from "@kino/platform";

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** Whether ClickHouse could not be reached or did not answer in time, as opposed to rejecting the query. */
function isUnreachable(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && unreachableCodes.has(code)) || /timeout|socket hang up/i.test(error.message);
}

/**
 * Runs a store query, turning an unreachable ClickHouse into Unavailable (the
 * caller may retry) and a rejected query into Internal, cause kept for the log.
 */
export async function queryStore<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof KinoError) throw error;
    if (error instanceof Error && isUnreachable(error)) {
      throw new KinoError("unavailable", "the analytics store is unavailable; retry later", { cause: error });
    }
    throw new KinoError("internal", "analytics query failed", { cause: error });
  }
}
