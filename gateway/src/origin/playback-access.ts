import type { PlaybackGrant } from "@kino/playback-tokens";
import type { Playable } from "./playable.ts";

/**
 * Whether a request may have a video's files, given the verified token of
 * its URL (undefined for a plain URL): a public video plays for anyone, an
 * unlisted one for any valid token, a private one only for a token naming
 * its owner. The token was verified for this very video already.
 */
export function mayPlay(playable: Playable, grant: PlaybackGrant | undefined): boolean {
  switch (playable.visibility) {
    case "public":
      return true;
    case "unlisted":
      return grant !== undefined;
    case "private":
      return grant?.viewerId !== undefined && grant.viewerId === playable.ownerId;
  }
}
