import { ClickHouseError } from "@clickhouse/client";

/**
 * ClickHouse error codes that mean "this data cannot be inserted" (parse,
 * type and range errors) rather than "not now" (network, overload): retrying
 * the same rows will fail the same way.
 */
const dataErrorCodes = new Set(["6", "16", "26", "27", "33", "36", "38", "41", "49", "53", "69", "70", "72", "117", "691"]);

/** The error code; 18.16 words its errors "Code: 41, e.displayText() = …", which @clickhouse/client does not parse. */
function errorCode(error: unknown): string | undefined {
  if (error instanceof ClickHouseError) return error.code;
  return /^Code: (\d+)[,.]/.exec(error instanceof Error ? error.message : "")?.[1];
}

export function isDataRejection(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && dataErrorCodes.has(code);
}
