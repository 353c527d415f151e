import { timingSafeEqual } from "node:crypto";
import { signaturePayloadHmac } from "./signature.ts";

export interface VerifyOptions {
  /** How old (or how far in the future) t may be, in seconds; 300 by default. */
  toleranceSeconds?: number;
  /** The current time in unix seconds; the system clock by default. */
  now?: number;
}

export class WebhookSignatureError extends Error {
  override readonly name = "WebhookSignatureError";
}

interface ParsedHeader {
  timestamp: number;
  signatures: string[];
}

function parseHeader(header: string): ParsedHeader {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1= values appear while a secret is rotated; any one may match.
    if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined) throw new WebhookSignatureError("Kino-Signature has no valid t=");
  if (signatures.length === 0) throw new WebhookSignatureError("Kino-Signature has no valid v1=");
  return { timestamp, signatures };
}

/**
 * Checks a delivery's `Kino-Signature` header against the raw request body:
 * the exact bytes received, before any JSON parsing. A body parsed and
 * serialised again differs in spacing, key order or number format, and no
 * longer matches. Throws WebhookSignatureError when the header is malformed,
 * no signature matches, or t is outside the tolerance (a replayed delivery);
 * returns t otherwise. Comparisons run in constant time.
 */
export function verifyKinoSignature(
  rawBody: Uint8Array | string,
  header: string | undefined | null,
  secret: string,
  options: VerifyOptions = {},
): { timestamp: number } {
  if (typeof header !== "string" || header === "") throw new WebhookSignatureError("the Kino-Signature header is missing");
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array)) {
    throw new WebhookSignatureError("pass the raw body (a Buffer, Uint8Array or string), not a parsed object");
  }
  const { timestamp, signatures } = parseHeader(header);
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) throw new WebhookSignatureError(`Kino-Signature t is more than ${tolerance} s from now`);
  const expected = Buffer.from(signaturePayloadHmac(secret, timestamp, rawBody), "hex");
  let matched = false;
  for (const signature of signatures) {
    // Both are 32 bytes (the header's were checked as 64 hex digits), as timingSafeEqual needs.
    if (timingSafeEqual(expected, Buffer.from(signature, "hex"))) matched = true;
  }
  if (!matched) throw new WebhookSignatureError("Kino-Signature does not match the body");
  return { timestamp };
}
