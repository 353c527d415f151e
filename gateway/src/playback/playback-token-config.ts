import { ConfigError, intField, type ConfigField } from "@kino/platform";
import {
  DEFAULT_PLAYBACK_TOKEN_TTL_SECONDS,
  MAX_PLAYBACK_TOKEN_TTL_SECONDS,
  MIN_PLAYBACK_TOKEN_SECRET_LENGTH,
} from "@kino/playback-tokens";

/**
 * Optional, so that a gateway without it still serves public videos; until
 * it is set, unlisted and private videos do not play at all (the origin
 * refuses them and GetPlaybackInfo names this variable).
 */
function secretField(env: string): ConfigField<string | undefined> {
  return {
    env,
    description: `secret signing playback URLs of unlisted and private videos (at least ${MIN_PLAYBACK_TOKEN_SECRET_LENGTH} characters), the same on every gateway host; unset, only public videos play`,
    parse(raw) {
      if (raw === undefined || raw === "") return undefined;
      // The value itself never appears in a message.
      if (raw.length < MIN_PLAYBACK_TOKEN_SECRET_LENGTH) throw new ConfigError(env, `must be at least ${MIN_PLAYBACK_TOKEN_SECRET_LENGTH} characters long`);
      return raw;
    },
  };
}

/** Signed playback settings; spread into the gateway's config schema. */
export const playbackTokenConfigSchema = {
  playbackTokenSecret: secretField("KINO_PLAYBACK_TOKEN_SECRET"),
  playbackTokenTtlSeconds: intField("KINO_PLAYBACK_TOKEN_TTL_SECONDS", {
    description: "how long signed playback URLs work",
    default: DEFAULT_PLAYBACK_TOKEN_TTL_SECONDS,
    min: 60,
    max: MAX_PLAYBACK_TOKEN_TTL_SECONDS,
  }),
};
