import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";

/** Algorithms accepted in Upload-Checksum, as advertised in Tus-Checksum-Algorithm. */
export const CHECKSUM_ALGORITHMS = ["sha1", "sha256", "md5"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  digest: Buffer;
}

export type ParsedChecksum = { ok: true; checksum?: ExpectedChecksum } | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads tus's `Upload-Checksum: <algorithm> <base64 digest>`; absent is fine. */
export function parseUploadChecksum(header: string | string[] | undefined): ParsedChecksum {
  if (header === undefined) return { ok: true };
  if (Array.isArray(header)) return { ok: false, problem: "Upload-Checksum given more than once" };
  const [name = "", encoded = "", ...rest] = header.trim().split(/\s+/);
  const algorithm = CHECKSUM_ALGORITHMS.find((known) => known === name.toLowerCase());
  if (!algorithm) return { ok: false, problem: `unsupported checksum algorithm "${name}"; use one of ${CHECKSUM_ALGORITHMS.join(", ")}` };
  const digest = Buffer.from(encoded, "base64");
  if (rest.length > 0 || !BASE64.test(encoded) || digest.length !== createHash(algorithm).digest().length) {
    return { ok: false, problem: `Upload-Checksum must be "${algorithm} <base64 digest>"` };
  }
  return { ok: true, checksum: { algorithm, digest } };
}

/** Passes `source` through unchanged while feeding every byte to `hash`. */
export async function* hashing(source: Readable, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}
