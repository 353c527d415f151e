import { KinoError, type KinoErrorCode } from "@kino/platform";

export type StorageErrorCode = "not_found" | "invalid_key" | "unavailable" | "invalid_range";

/** What a storage driver throws; `code` is stable, `cause` keeps the backend's own error. */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  static is(value: unknown, code?: StorageErrorCode): value is StorageError {
    return value instanceof StorageError && (code === undefined || value.code === code);
  }
}

const kinoCodes: Record<StorageErrorCode, KinoErrorCode> = {
  not_found: "not_found",
  invalid_key: "invalid_argument",
  // An HTTP layer serving bytes should answer 416 itself, before converting.
  invalid_range: "invalid_argument",
  unavailable: "unavailable",
};

/** For RPC edges: the same failure as a KinoError, the StorageError kept as cause. */
export function toKinoError(error: StorageError): KinoError {
  return new KinoError(kinoCodes[error.code], error.message, { cause: error });
}
