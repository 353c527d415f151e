import { Code, ConnectError } from "@connectrpc/connect";
import { KinoError, type KinoErrorCode } from "@kino/platform";

const kinoCodes: Partial<Record<Code, KinoErrorCode>> = {
  [Code.InvalidArgument]: "invalid_argument",
  [Code.NotFound]: "not_found",
  [Code.AlreadyExists]: "already_exists",
  [Code.FailedPrecondition]: "failed_precondition",
  [Code.PermissionDenied]: "permission_denied",
  [Code.Unauthenticated]: "unauthenticated",
  [Code.ResourceExhausted]: "resource_exhausted",
  [Code.Unavailable]: "unavailable",
  [Code.DeadlineExceeded]: "deadline_exceeded",
};

/**
 * A failed call as one line for the user: what the server said, or that the
 * gateway could not be reached. KinoErrors (e.g. "run kino login") pass through.
 */
export function rpcError(error: unknown, gatewayUrl: string): KinoError {
  if (error instanceof KinoError) return error;
  const connect = ConnectError.from(error);
  const code = kinoCodes[connect.code] ?? "internal";
  // No answer at all (refused, unknown host, reset), rather than the gateway answering UNAVAILABLE itself.
  const systemCode = (connect.cause as NodeJS.ErrnoException | undefined)?.code;
  const noAnswer = typeof systemCode === "string" && /^E[A-Z_]+$/.test(systemCode);
  if (connect.code === Code.Unavailable && (noAnswer || !connect.metadata.get("content-type"))) {
    return new KinoError("unavailable", `cannot reach the gateway at ${gatewayUrl} (${connect.rawMessage}); is it running? (./kino up)`, { cause: error });
  }
  if (connect.code === Code.Unimplemented) {
    return new KinoError("internal", `the gateway at ${gatewayUrl} does not offer this call (${connect.rawMessage}): is it older than this CLI?`, { cause: error });
  }
  return new KinoError(code, connect.rawMessage || Code[connect.code], { cause: error });
}

/** Whether a failure is the server's answer with this code. */
export function hasCode(error: unknown, code: Code): boolean {
  return !(error instanceof KinoError) && ConnectError.from(error).code === code;
}
