import { randomBytes } from "node:crypto";

// The same rule storage keys apply to ids, so a parsed video id is safe in a key.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const RANDOM = /^[A-Za-z0-9_-]{22}$/;

export function isHostId(value: string): boolean {
  return ID.test(value);
}

/**
 * `<hostId>.<videoId>.<random>`: any host can tell from the URL alone which
 * host stages the partial file and which video it is for; the 128 random
 * bits make the URL unguessable.
 */
export function newUploadId(hostId: string, videoId: string): string {
  return `${hostId}.${videoId}.${randomBytes(16).toString("base64url")}`;
}

export interface UploadIdParts {
  hostId: string;
  videoId: string;
}

/** Undefined for anything newUploadId cannot have produced. */
export function parseUploadId(uploadId: string): UploadIdParts | undefined {
  const parts = uploadId.split(".");
  if (parts.length !== 3) return undefined;
  const [hostId = "", videoId = "", random = ""] = parts;
  if (!ID.test(hostId) || !ID.test(videoId) || !RANDOM.test(random)) return undefined;
  return { hostId, videoId };
}
