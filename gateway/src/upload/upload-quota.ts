import { Code, ConnectError } from "@connectrpc/connect";
import type { SignedInCaller } from "../auth/caller.ts";
import { describeBytes } from "./describe-bytes.ts";

export interface Usage {
  storedBytes: bigint;
  videosCreatedToday: number;
}

function exhausted(message: string): ConnectError {
  return new ConnectError(message, Code.ResourceExhausted);
}

const bytes = (n: bigint) => `${describeBytes(Number(n))} (${n} bytes)`;

/**
 * Checks an upload against the caller's tier before any byte moves, and
 * returns the largest file the upload URL may then take: the gateway's
 * limit, the tier's largest upload and what is left of the tier's storage,
 * whichever is smallest. Messages name the limit and the current usage.
 */
export function allowedUploadBytes(caller: SignedInCaller, declaredBytes: bigint, gatewayMaxBytes: bigint, usage: Usage): bigint {
  const { limits, tier } = caller;
  if (usage.videosCreatedToday >= limits.maxUploadsPerDay) {
    throw exhausted(
      `the ${tier} tier allows ${limits.maxUploadsPerDay} uploads per day (UTC); you have started ${usage.videosCreatedToday} today`,
    );
  }
  if (declaredBytes > limits.maxUploadBytes) {
    throw exhausted(`the file is ${bytes(declaredBytes)}, over the ${tier} tier's largest upload of ${bytes(limits.maxUploadBytes)}`);
  }
  const left = limits.maxStorageBytes - usage.storedBytes;
  if (left <= 0n || declaredBytes > left) {
    throw exhausted(
      `the ${tier} tier stores ${bytes(limits.maxStorageBytes)}; your videos take ${bytes(usage.storedBytes)}` +
        (declaredBytes > 0n ? `, and this file is ${bytes(declaredBytes)}` : ""),
    );
  }
  return [gatewayMaxBytes, limits.maxUploadBytes, left].reduce((a, b) => (b < a ? b : a));
}
