import { status as GrpcStatus } from "@grpc/grpc-js";
import { isServiceError } from "@kino/grpc";

// The catalog answered for good: repeating the same call cannot change the outcome.
const definitiveCodes = new Set<number>([
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.NOT_FOUND,
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.PERMISSION_DENIED,
]);

/** False for an unreachable or overloaded catalog, where a retry later may succeed. */
export function isDefinitiveCatalogAnswer(error: unknown): boolean {
  return isServiceError(error) && definitiveCodes.has(error.code);
}
