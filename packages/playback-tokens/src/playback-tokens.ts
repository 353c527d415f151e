import { createHmac, timingSafeEqual } from "node:crypto";
import { KinoError, isOwnerId, isVideoId } from "@kino/platform";
import {
  DEFAULT_PLAYBACK_TOKEN_TTL_SECONDS,
  MAX_PLAYBACK_TOKEN_TTL_SECONDS,
  MIN_PLAYBACK_TOKEN_SECRET_LENGTH,
  type PlaybackGrant,
} from "./playback-grant.ts";
import { PlaybackTokenError } from "./playback-token-error.ts";

export interface IssueRequest {
  videoId: string;
  /** Binds the token to this user; leave out for a link anyone holding it may play. */
  viewerId?: string;
  /** 1 to 86 400; 21 600 (6 h) when absent. */
  ttlSeconds?: number;
}

/** Signs and checks playback tokens (see README.md for the format). */
export interface PlaybackTokens {
  issue(request: IssueRequest, nowMs?: number): { token: string; grant: PlaybackGrant };
  /**
   * The grant of a genuine, unexpired token for `videoId`; throws
   * PlaybackTokenError otherwise. Pure computation: no database, no network.
   */
  verify(token: string, videoId: string, nowMs?: number): PlaybackGrant;
}

// Binds signatures to this use and version: a secret reused by another signer cannot mint playback tokens.
const SIGNING_PREFIX = "kino-playback-v1.";
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// 32 bytes of HMAC-SHA256, unpadded base64url.
const SIGNATURE_LENGTH = 43;
// A payload holds a video id, a number and a user id of at most 64 characters: far below this.
const MAX_PAYLOAD_LENGTH = 400;

interface WirePayload {
  v: string;
  e: number;
  u?: string;
}

function grantFrom(payload: string): PlaybackGrant | undefined {
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof wire !== "object" || wire === null || Array.isArray(wire)) return undefined;
  const { v, e, u } = wire as Partial<WirePayload>;
  if (typeof v !== "string" || !isVideoId(v) || !Number.isSafeInteger(e)) return undefined;
  if (u !== undefined && (typeof u !== "string" || !isOwnerId(u))) return undefined;
  return { videoId: v, expiresAt: e as number, ...(u !== undefined ? { viewerId: u } : {}) };
}

/**
 * HMAC-SHA256 playback tokens: `base64url(payload).base64url(signature)`.
 * Stateless, so every gateway host (and a CDN edge) holding the secret
 * verifies what any of them issued.
 */
export function createPlaybackTokens(secret: string): PlaybackTokens {
  if (secret.length < MIN_PLAYBACK_TOKEN_SECRET_LENGTH) {
    throw new KinoError("invalid_argument", `the playback token secret must be at least ${MIN_PLAYBACK_TOKEN_SECRET_LENGTH} characters long`);
  }
  const sign = (payload: string) => createHmac("sha256", secret).update(SIGNING_PREFIX + payload).digest();

  return {
    issue(request, nowMs = Date.now()) {
      const ttl = request.ttlSeconds ?? DEFAULT_PLAYBACK_TOKEN_TTL_SECONDS;
      if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_PLAYBACK_TOKEN_TTL_SECONDS) {
        throw new KinoError("invalid_argument", `a playback token lives 1 to ${MAX_PLAYBACK_TOKEN_TTL_SECONDS} seconds, not ${ttl}`);
      }
      if (!isVideoId(request.videoId)) throw new KinoError("invalid_argument", "a playback token needs a video id");
      if (request.viewerId !== undefined && !isOwnerId(request.viewerId)) throw new KinoError("invalid_argument", "the viewer must be a user id");
      const grant: PlaybackGrant = {
        videoId: request.videoId,
        expiresAt: Math.floor(nowMs / 1000) + ttl,
        ...(request.viewerId !== undefined ? { viewerId: request.viewerId } : {}),
      };
      const wire: WirePayload = { v: grant.videoId, e: grant.expiresAt, ...(grant.viewerId !== undefined ? { u: grant.viewerId } : {}) };
      const payload = Buffer.from(JSON.stringify(wire)).toString("base64url");
      return { token: `${payload}.${sign(payload).toString("base64url")}`, grant };
    },

    verify(token, videoId, nowMs = Date.now()) {
      const [payload = "", signature = "", ...rest] = token.split(".");
      if (rest.length > 0 || payload.length > MAX_PAYLOAD_LENGTH || !BASE64URL.test(payload) || signature.length !== SIGNATURE_LENGTH || !BASE64URL.test(signature)) {
        throw new PlaybackTokenError("malformed");
      }
      // The text is compared, not decoded bytes: base64url decoders ignore the last character's spare bits,
      // which would give one signature several spellings (and one grant several URLs).
      if (!timingSafeEqual(Buffer.from(signature), Buffer.from(sign(payload).toString("base64url")))) throw new PlaybackTokenError("forged");
      const grant = grantFrom(payload);
      if (!grant) throw new PlaybackTokenError("malformed");
      if (grant.videoId !== videoId) throw new PlaybackTokenError("other_video");
      const nowSeconds = nowMs / 1000;
      if (nowSeconds >= grant.expiresAt) throw new PlaybackTokenError("expired");
      // No correct issuer signs a longer lifetime (a minute allows for hosts' clocks): such a token is a bug, never honoured.
      if (grant.expiresAt - nowSeconds > MAX_PLAYBACK_TOKEN_TTL_SECONDS + 60) throw new PlaybackTokenError("malformed");
      return grant;
    },
  };
}
