import { Code, ConnectError } from "@connectrpc/connect";

/** The server's own message for a failed call, as written; a network failure says so in plain words. */
export function errorMessage(error: unknown): string {
  if (error instanceof ConnectError) {
    if (error.code === Code.Unknown && /fetch|network/i.test(error.rawMessage)) {
      return `Cannot reach Kino's server: ${error.rawMessage}`;
    }
    return error.rawMessage || `The call failed (${Code[error.code]})`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function hasCode(error: unknown, code: Code): boolean {
  return error instanceof ConnectError && error.code === code;
}
