/**
 * The shapes of identifiers in Kino's contract. They are checked wherever a
 * request enters (the gateway, every service), so an id is never looked up,
 * logged or echoed in an error before it is known to be short and plain.
 */

/** A video id: 20 characters of a-z and 0-9 (see newVideoId in the catalog). */
export const videoIdPattern = /^[a-z0-9]{20}$/;
export const videoIdShape = "20 characters of a-z and 0-9";

/** An owner (account) id, as API keys name them. */
export const ownerIdPattern = /^[A-Za-z0-9_.-]{1,64}$/;
export const ownerIdShape = "1 to 64 characters of A-Z a-z 0-9 _ . -";

/** Any other identifier a client supplies (a player's view and event ids, say). */
export const tokenIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;
export const tokenIdShape = "1 to 64 characters of A-Z a-z 0-9 . _ : -";

export function isVideoId(value: string): boolean {
  return videoIdPattern.test(value);
}

export function isOwnerId(value: string): boolean {
  return ownerIdPattern.test(value);
}
