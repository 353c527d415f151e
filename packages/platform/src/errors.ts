/**
 * Stable error codes shared by every Kino process. They name what went wrong
 * for the caller; one mapper per protocol edge turns them into RPC codes.
 */
export type KinoErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "conflict"
  | "failed_precondition"
  | "permission_denied"
  | "unauthenticated"
  | "resource_exhausted"
  | "unavailable"
  | "deadline_exceeded"
  | "internal";

export class KinoError extends Error {
  override readonly name = "KinoError";
  readonly code: KinoErrorCode;

  constructor(code: KinoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  static is(value: unknown, code?: KinoErrorCode): value is KinoError {
    return value instanceof KinoError && (code === undefined || value.code === code);
  }
}
