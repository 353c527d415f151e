import { createHmac, timingSafeEqual } from "node:crypto";
import { KinoError } from "@kino/platform";

/** What an upload URL grants: one file for one video, until `exp`. */
export interface UploadClaims {
  videoId: string;
  ownerId: string;
  /** When the URL stops working, in milliseconds since the epoch. */
  exp: number;
  /** Largest file accepted, in bytes. */
  maxSize: number;
}

export type UploadTokenProblem = "malformed" | "forged" | "expired";

export class UploadTokenError extends Error {
  override readonly name = "UploadTokenError";
  readonly problem: UploadTokenProblem;
  /** Set for "expired": the claims were genuine, only late. */
  readonly claims?: UploadClaims;

  constructor(problem: UploadTokenProblem, message: string, claims?: UploadClaims) {
    super(message);
    this.problem = problem;
    if (claims) this.claims = claims;
  }
}

/** Signs and checks the capability carried in an upload URL. */
export interface UploadTokens {
  issue(claims: UploadClaims): string;
  /** The claims of a genuine, unexpired token; throws UploadTokenError otherwise. */
  verify(token: string, now?: number): UploadClaims;
}

const MIN_SECRET_BYTES = 32;
// Binds signatures to this use, so a secret shared with another signer cannot mint upload tokens.
const DOMAIN = "kino-upload-url-v1.";

interface WireClaims {
  v: string;
  o: string;
  e: number;
  m: number;
}

function claimsFrom(json: string): UploadClaims | undefined {
  let wire: Partial<WireClaims>;
  try {
    wire = JSON.parse(json) as Partial<WireClaims>;
  } catch {
    return undefined;
  }
  const { v, o, e, m } = wire ?? {};
  if (typeof v !== "string" || typeof o !== "string" || !Number.isSafeInteger(e) || !Number.isSafeInteger(m)) return undefined;
  return { videoId: v, ownerId: o, exp: e as number, maxSize: m as number };
}

/**
 * HMAC-SHA256 tokens: `base64url(claims).base64url(signature)`. Stateless,
 * so every gateway host sharing the secret accepts the URLs any of them issued.
 */
export function createUploadTokens(secret: string): UploadTokens {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new KinoError("invalid_argument", `the upload URL secret must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  const sign = (payload: string) => createHmac("sha256", secret).update(DOMAIN + payload).digest();

  return {
    issue(claims) {
      const wire: WireClaims = { v: claims.videoId, o: claims.ownerId, e: claims.exp, m: claims.maxSize };
      const payload = Buffer.from(JSON.stringify(wire)).toString("base64url");
      return `${payload}.${sign(payload).toString("base64url")}`;
    },

    verify(token, now = Date.now()) {
      const [payload, signature, ...rest] = token.split(".");
      if (!payload || !signature || rest.length > 0) throw new UploadTokenError("malformed", "the upload URL is not valid");
      const expected = sign(payload);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UploadTokenError("forged", "the upload URL is not valid");
      }
      const claims = claimsFrom(Buffer.from(payload, "base64url").toString("utf8"));
      if (!claims) throw new UploadTokenError("malformed", "the upload URL is not valid");
      if (now >= claims.exp) {
        throw new UploadTokenError("expired", `the upload URL expired at ${new Date(claims.exp).toISOString()}; create a new upload`, claims);
      }
      return claims;
    },
  };
}
