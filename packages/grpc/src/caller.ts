import type { Metadata } from "@grpc/grpc-js";

/** Carries the gateway's request id to services, for logs that line up across hops. Never an identity. */
export const requestIdMetadataKey = "x-request-id";

export function requestIdOf(metadata: Metadata): string | undefined {
  const value = metadata.get(requestIdMetadataKey)[0];
  return typeof value === "string" && value !== "" ? value : undefined;
}
