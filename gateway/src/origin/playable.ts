import type { PlaybackCaption } from "./subtitle-playlists.ts";

/** Who may play a video, as the catalog says (kino.catalog.v1.Visibility). */
export type PlaybackVisibility = "public" | "unlisted" | "private";

/** What the origin needs to know of a playable video (READY, or PROCESSING with a first rung published). */
export interface Playable {
  /** The attempt whose outputs are served. */
  outputId: string;
  visibility: PlaybackVisibility;
  /** Whom a private video's tokens must name. */
  ownerId: string;
  /** Caption tracks, added to the master as a subtitles group; none when absent. */
  captions?: readonly PlaybackCaption[];
  /** The length of each caption track's one segment. */
  durationSeconds?: number;
  /** Its segments are AES-128 encrypted: its key needs a token, and it has no MPD. */
  contentProtected?: boolean;
  /** The video's title, for the download's file name. */
  title?: string;
  /** Its download.mp4 is READY: only then is it served. */
  downloadReady?: boolean;
}

/**
 * The playable state of a video; undefined when it is not playable (unknown,
 * not yet playable, failed, deleted). A bare output id stands for a public video: resolvers
 * that know nothing of visibility (fixed tables) may answer with it alone.
 */
export type PlaybackResolver = (videoId: string) => Promise<Playable | string | undefined>;

export function playableOf(answer: Playable | string | undefined): Playable | undefined {
  return typeof answer === "string" ? { outputId: answer, visibility: "public", ownerId: "" } : answer;
}
