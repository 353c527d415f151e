export { createPlaybackTokens, type IssueRequest, type PlaybackTokens } from "./playback-tokens.ts";
export {
  DEFAULT_PLAYBACK_TOKEN_TTL_SECONDS,
  MAX_PLAYBACK_TOKEN_TTL_SECONDS,
  MIN_PLAYBACK_TOKEN_SECRET_LENGTH,
  type PlaybackGrant,
} from "./playback-grant.ts";
export { PlaybackTokenError, type PlaybackTokenProblem } from "./playback-token-error.ts";
