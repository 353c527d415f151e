import { ConfigError, type ConfigField } from "@kino/platform";

/** At most `points` events per window of `windowSeconds`, counted from the first. */
export interface ThrottleLimit {
  points: number;
  windowSeconds: number;
}

const units: Record<string, number> = { s: 1, m: 60, h: 3600 };
const pattern = /^(\d{1,7})\/(\d{1,5})([smh])$/;

export function formatLimit(limit: ThrottleLimit): string {
  return `${limit.points}/${limit.windowSeconds}s`;
}

/** "<count>/<window>", e.g. "10/1m" or "5/10m": whole seconds, so tests can use windows of one or two. */
export function throttleLimitField(env: string, description: string, fallback: ThrottleLimit): ConfigField<ThrottleLimit> {
  return {
    env,
    description: `${description}, as <count>/<window> (s, m or h), e.g. 10/1m; default ${formatLimit(fallback)}`,
    parse(raw) {
      if (raw === undefined || raw.trim() === "") return fallback;
      const match = pattern.exec(raw.trim());
      if (!match) throw new ConfigError(env, `expected <count>/<window> such as 10/1m (window in s, m or h), got ${JSON.stringify(raw)}`);
      const points = Number(match[1]);
      const windowSeconds = Number(match[2]) * units[match[3]!]!;
      if (points < 1) throw new ConfigError(env, "the count must be at least 1");
      if (windowSeconds < 1 || windowSeconds > 86_400) throw new ConfigError(env, `the window must be 1 s to 24 h, got ${windowSeconds} s`);
      return { points, windowSeconds };
    },
  };
}
