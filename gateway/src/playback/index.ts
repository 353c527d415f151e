export { createPlaybackService, type PlaybackServiceOptions } from "./playback-service.ts";
export { playbackTokenConfigSchema } from "./playback-token-config.ts";
