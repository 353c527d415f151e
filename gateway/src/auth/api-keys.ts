import { createHash } from "node:crypto";
import { isOwnerId } from "@kino/platform";

/** Accepted API keys, held only as hashes so a heap dump or log line never carries one. */
export interface ApiKeys {
  /** The owner a presented key belongs to, or undefined. */
  ownerOf(key: string): string | undefined;
  readonly size: number;
}

const minKeyLength = 16;

function digest(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Parses "owner:key,owner:key". Errors never echo a key. */
export function parseApiKeys(raw: string): ApiKeys {
  const byDigest = new Map<string, string>();
  for (const [index, entry] of raw.split(",").map((e) => e.trim()).entries()) {
    if (entry === "") continue;
    const separator = entry.indexOf(":");
    const owner = entry.slice(0, separator);
    const key = entry.slice(separator + 1);
    if (separator < 1 || !isOwnerId(owner)) {
      throw new Error(`entry ${index + 1} must be owner:key with owner made of letters, digits, '_', '.', '-'`);
    }
    if (key.length < minKeyLength) throw new Error(`the key of ${owner} must be at least ${minKeyLength} characters`);
    byDigest.set(digest(key), owner);
  }
  return { ownerOf: (key) => byDigest.get(digest(key)), size: byDigest.size };
}
