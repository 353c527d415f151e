import type { Metadata } from "@grpc/grpc-js";

/**
 * The gateway authenticates callers and forwards who they are in this
 * metadata key. Services sit on a private network and trust it; they never
 * see credentials.
 */
export const callerMetadataKey = "kino-caller-id";
export const requestIdMetadataKey = "x-request-id";

/** Who is calling, as the gateway established it; undefined for anonymous viewers. */
export function callerIdOf(metadata: Metadata): string | undefined {
  const value = metadata.get(callerMetadataKey)[0];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function requestIdOf(metadata: Metadata): string | undefined {
  const value = metadata.get(requestIdMetadataKey)[0];
  return typeof value === "string" && value !== "" ? value : undefined;
}
