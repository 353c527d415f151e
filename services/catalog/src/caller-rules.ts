import { principals, type CallerRule, type CallerRules } from "@kino/grpc";
import type { CaptionStoreService, CatalogExportService, ContentKeyService, EngagementService, VideoLifecycleService, VideoPosterService } from "@kino/proto/catalog/v1";

/** The public API, reached through the gateway (for users and viewers) and from analytics (ownership checks). */
export const catalogCallers: CallerRule = { from: [principals.gateway, principals.analytics], onBehalfOfUsers: true };

const uploadHost: CallerRule = { from: [principals.gateway], onBehalfOfUsers: false };
const transcoders: CallerRule = { from: [principals.transcoder], onBehalfOfUsers: false };
const either: CallerRule = { from: [principals.gateway, principals.transcoder], onBehalfOfUsers: false };

/** Lifecycle steps belong to the host that performs them; no user, whatever their token, reaches any of them. */
export const lifecycleCallers = {
  markUploaded: uploadHost,
  startProcessing: transcoders,
  reportProgress: transcoders,
  publishRenditions: transcoders,
  markReady: transcoders,
  // The upload host fails expired or invalid uploads; transcoders fail what they cannot encode.
  markFailed: either,
  // The origin resolves playback; a transcoder reads the output id it cleans up after.
  getPlayback: either,
  // A download job's outcome, from the transcoder that made it.
  recordDownload: transcoders,
} satisfies Record<keyof (typeof VideoLifecycleService)["method"], CallerRule> satisfies CallerRules;

const viewers: CallerRule = { from: [principals.gateway], onBehalfOfUsers: true };

/** Engagement is the public API's, for users and viewers; the search service also reads the history of the user it acts for. */
export const engagementCallers = {
  likeVideo: viewers,
  unlikeVideo: viewers,
  getVideoEngagement: viewers,
  createComment: viewers,
  listComments: viewers,
  updateComment: viewers,
  deleteComment: viewers,
  setCommentHidden: viewers,
  createPlaylist: viewers,
  getPlaylist: viewers,
  updatePlaylist: viewers,
  deletePlaylist: viewers,
  listPlaylists: viewers,
  addPlaylistItem: viewers,
  removePlaylistItem: viewers,
  movePlaylistItem: viewers,
  listPlaylistItems: viewers,
  setPlaybackPosition: viewers,
  getPlaybackPosition: viewers,
  listWatchHistory: { from: [principals.gateway, principals.search], onBehalfOfUsers: true },
  removeWatchHistoryEntry: viewers,
  clearWatchHistory: viewers,
} satisfies Record<keyof (typeof EngagementService)["method"], CallerRule> satisfies CallerRules;

/** The export rebuilds search's documents: the search service alone, for no user (it sees every video, private ones too). */
export const exportCallers = {
  exportVideos: { from: [principals.search], onBehalfOfUsers: false },
  getCaptionText: { from: [principals.search], onBehalfOfUsers: false },
} satisfies Record<keyof (typeof CatalogExportService)["method"], CallerRule> satisfies CallerRules;

/** Posters: the gateway, which stores the re-encoded image, for the user it acts for (the catalog checks they own the video). */
export const posterCallers = {
  setVideoPoster: viewers,
  clearVideoPoster: viewers,
} satisfies Record<keyof (typeof VideoPosterService)["method"], CallerRule> satisfies CallerRules;

/** Caption files are stored by the gateway, which records them for the signed-in owner; never forwarded, so no user calls it directly. */
const captionHost: CallerRule = { from: [principals.gateway], onBehalfOfUsers: true };
export const captionStoreCallers = {
  authorizeCaptionChange: captionHost,
  recordCaption: captionHost,
  deleteCaption: captionHost,
} satisfies Record<keyof (typeof CaptionStoreService)["method"], CallerRule> satisfies CallerRules;

/** Content keys in clear: the transcoders encrypting a protected video's segments, the gateway answering a tokened key request; never for a user. */
export const contentKeyCallers = {
  getContentKey: either,
} satisfies Record<keyof (typeof ContentKeyService)["method"], CallerRule> satisfies CallerRules;
