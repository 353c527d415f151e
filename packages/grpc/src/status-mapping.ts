import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { KinoError, type KinoErrorCode } from "@kino/platform";

const toGrpc: Record<KinoErrorCode, GrpcStatus> = {
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  not_found: GrpcStatus.NOT_FOUND,
  already_exists: GrpcStatus.ALREADY_EXISTS,
  conflict: GrpcStatus.ABORTED,
  failed_precondition: GrpcStatus.FAILED_PRECONDITION,
  permission_denied: GrpcStatus.PERMISSION_DENIED,
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
  resource_exhausted: GrpcStatus.RESOURCE_EXHAUSTED,
  unavailable: GrpcStatus.UNAVAILABLE,
  deadline_exceeded: GrpcStatus.DEADLINE_EXCEEDED,
  internal: GrpcStatus.INTERNAL,
};

const fromGrpc = new Map<GrpcStatus, KinoErrorCode>(
  Object.entries(toGrpc).map(([code, status]) => [status, code as KinoErrorCode]),
);

/** The one place where Kino's error codes become gRPC status codes. */
export function grpcStatusOf(code: KinoErrorCode): GrpcStatus {
  return toGrpc[code];
}

/** Reverses the mapping for errors that came back from another service. */
export function kinoErrorFromGrpc(error: ServiceError): KinoError {
  const code = fromGrpc.get(error.code) ?? (error.code === GrpcStatus.CANCELLED ? "unavailable" : "internal");
  return new KinoError(code, error.details || error.message, { cause: error });
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof Error && typeof (value as Partial<ServiceError>).code === "number" && "metadata" in value;
}
