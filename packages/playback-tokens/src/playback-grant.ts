/** What a playback token grants: one video, until `expiresAt`, to anyone holding it or to one viewer. */
export interface PlaybackGrant {
  videoId: string;
  /** When the token stops working, in whole seconds since the epoch. */
  expiresAt: number;
  /** The user the token was issued to; absent for a token anyone holding the link may use. */
  viewerId?: string;
}

/** Lifetime of a token when the issuer names none: 6 hours. */
export const DEFAULT_PLAYBACK_TOKEN_TTL_SECONDS = 6 * 3600;
/** The longest lifetime a token may have, at issue and at verification: 24 hours. */
export const MAX_PLAYBACK_TOKEN_TTL_SECONDS = 24 * 3600;
/** Shortest secret accepted, in characters. */
export const MIN_PLAYBACK_TOKEN_SECRET_LENGTH = 32;
