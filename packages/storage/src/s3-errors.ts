import { StorageError } from "./errors.ts";

interface ServiceErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an S3 client failure to a StorageError. Missing keys and bad ranges
 * keep their meaning; everything else (network errors, 5xx, credentials, a
 * missing bucket) means the store cannot serve us: "unavailable".
 */
export function fromS3Error(action: string, key: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const { name, $metadata } = (error ?? {}) as ServiceErrorShape;
  const status = $metadata?.httpStatusCode;
  if (name === "NoSuchKey" || name === "NotFound") {
    return new StorageError("not_found", `no object at ${key}`, { cause: error });
  }
  if (name === "InvalidRange" || status === 416) {
    return new StorageError("invalid_range", `range not satisfiable for ${key}`, { cause: error });
  }
  return new StorageError("unavailable", `cannot ${action} ${key}: ${describeS3Error(error)}`, { cause: error });
}

/** One line naming the S3 error code, HTTP status and message that are known. */
export function describeS3Error(error: unknown): string {
  const { name, message, $metadata } = (error ?? {}) as ServiceErrorShape;
  const detail = [name, $metadata?.httpStatusCode, message].filter((part) => part !== undefined && part !== "").join(" ");
  return detail || String(error);
}
