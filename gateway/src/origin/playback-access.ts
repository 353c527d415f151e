import type { Logger } from "@kino/platform";
import { PlaybackTokenError, type PlaybackGrant, type PlaybackTokens } from "@kino/playback-tokens";
import type { OriginPath } from "./origin-path.ts";
import { playableOf, type Playable, type PlaybackResolver } from "./playable.ts";

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

export type PlaybackRefusal = "not_found" | "forbidden" | "unavailable";

export interface PlaybackAccessOptions {
  resolvePlayback: PlaybackResolver;
  /** Absent when no token secret is configured: every tokened URL is refused. */
  tokens: Pick<PlaybackTokens, "verify"> | undefined;
}

/**
 * Who may have a file under `/hls/<video>/<output>/…`, decided the same way
 * for every route there (stream, captions, thumbnails) before anything is
 * read: the token first, so forged URLs cost no catalog lookup; then the
 * video's visibility; then whether the output is the current one.
 */
export async function decidePlayback(
  path: OriginPath,
  { resolvePlayback, tokens }: PlaybackAccessOptions,
  context: { readonly logger: Logger },
): Promise<{ playable: Playable; grant: PlaybackGrant | undefined } | PlaybackRefusal> {
  let grant: PlaybackGrant | undefined;
  if (path.token !== undefined) {
    if (!tokens) return "forbidden";
    try {
      grant = tokens.verify(path.token, path.videoId);
    } catch (error) {
      if (!(error instanceof PlaybackTokenError)) throw error;
      // Never the token itself: it is a capability.
      context.logger.debug({ videoId: path.videoId, problem: error.problem }, "playback token refused");
      return "forbidden";
    }
  }
  let playable;
  try {
    playable = playableOf(await resolvePlayback(path.videoId));
  } catch (error) {
    context.logger.warn({ err: error, videoId: path.videoId }, "cannot tell which outputs of the video are current");
    return "unavailable";
  }
  if (!playable) return "not_found";
  // Before the output id: whether a guessed one exists is nothing a refused request learns.
  if (!mayPlay(playable, grant)) return "forbidden";
  if (playable.outputId !== path.outputId) return "not_found";
  return { playable, grant };
}
