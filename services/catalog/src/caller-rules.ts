import { principals, type CallerRule, type CallerRules } from "@kino/grpc";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";

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
  markReady: transcoders,
  // The upload host fails expired or invalid uploads; transcoders fail what they cannot encode.
  markFailed: either,
  // The origin resolves playback; a transcoder reads the output id it cleans up after.
  getPlayback: either,
} satisfies Record<keyof (typeof VideoLifecycleService)["method"], CallerRule> satisfies CallerRules;
