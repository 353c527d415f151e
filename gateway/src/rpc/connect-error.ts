import { Code, ConnectError } from "@connectrpc/connect";
import { isServiceError } from "@kino/grpc";
import { KinoError, truncateText, type KinoErrorCode } from "@kino/platform";
import { status as GrpcStatus } from "@grpc/grpc-js";

const kinoToConnect: Record<KinoErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  conflict: Code.Aborted,
  failed_precondition: Code.FailedPrecondition,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  internal: Code.Internal,
};

// Every message leaving the gateway is bounded: one echoing unbounded input
// would become a huge header or trailer for the client and for every hop.
const maxMessageLength = 1024;
const bounded = (message: string) => truncateText(message, maxMessageLength);

/**
 * The gateway's one error mapper. Services answer with gRPC status codes,
 * whose numbers Connect shares, so their messages pass through unchanged;
 * a service that cannot be reached becomes Unavailable naming it.
 */
export function toConnectError(error: unknown, upstream: string): ConnectError {
  if (error instanceof ConnectError) {
    return error.rawMessage.length <= maxMessageLength ? error : new ConnectError(bounded(error.rawMessage), error.code, error.metadata, undefined, error);
  }
  if (error instanceof KinoError) return new ConnectError(bounded(error.message), kinoToConnect[error.code], undefined, undefined, error);
  if (isServiceError(error)) {
    if (error.code === GrpcStatus.UNAVAILABLE && !error.details.includes("unavailable")) {
      return new ConnectError(`${upstream} service is unavailable`, Code.Unavailable, undefined, undefined, error);
    }
    if (error.code === GrpcStatus.DEADLINE_EXCEEDED) {
      return new ConnectError(`${upstream} service did not answer in time`, Code.DeadlineExceeded, undefined, undefined, error);
    }
    // A throttled service says when to come back; the client gets it as Retry-After.
    const retryAfter = error.metadata?.get("retry-after")[0];
    const metadata = typeof retryAfter === "string" && /^\d{1,6}$/.test(retryAfter) ? new Headers({ "retry-after": retryAfter }) : undefined;
    return new ConnectError(bounded(error.details), error.code as number as Code, metadata, undefined, error);
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}
