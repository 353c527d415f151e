import { status as GrpcStatus } from "@grpc/grpc-js";
import { isServiceError } from "@kino/grpc";

/** The catalog said no because of the video's state: another attempt won, or it is FAILED or DELETED. */
export function isStateConflict(error: unknown): boolean {
  return isServiceError(error) && (error.code === GrpcStatus.FAILED_PRECONDITION || error.code === GrpcStatus.NOT_FOUND);
}

/** The catalog refused for good: asking again cannot succeed. Anything else (unreachable, timed out, internal) may. */
export function isPermanentRefusal(error: unknown): boolean {
  return isStateConflict(error) || (isServiceError(error) && error.code === GrpcStatus.INVALID_ARGUMENT);
}

/** What to log or record about a failed catalog call. */
export function describeCatalogError(error: unknown): string {
  return isServiceError(error) ? `${GrpcStatus[error.code] ?? error.code}: ${error.details}` : String((error as Error)?.message ?? error);
}
