import { ConfigError, type ConfigField } from "@kino/platform";
import type { TierName } from "./schema.ts";

export const tierNames: readonly TierName[] = ["free", "pro"];

export interface TierLimits {
  maxUploadBytes: number;
  maxStorageBytes: number;
  maxUploadsPerDay: number;
}

export type Tiers = Readonly<Record<TierName, TierLimits>>;

const gib = 1024 ** 3;

export const defaultTiers: Tiers = {
  free: { maxUploadBytes: 2 * gib, maxStorageBytes: 10 * gib, maxUploadsPerDay: 20 },
  pro: { maxUploadBytes: 50 * gib, maxStorageBytes: 1024 * gib, maxUploadsPerDay: 500 },
};

const limitNames = ["maxUploadBytes", "maxStorageBytes", "maxUploadsPerDay"] as const;
// TierLimits.max_uploads_per_day is a uint32 in the contract.
const maxUint32 = 2 ** 32 - 1;

export function isTierName(value: string): value is TierName {
  return (tierNames as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * KINO_AUTH_TIERS: JSON naming the limits to change, e.g.
 * {"pro":{"maxUploadBytes":107374182400}}; what it leaves out keeps its
 * default. Every mistake names the tier and the limit.
 */
export function tiersField(env = "KINO_AUTH_TIERS"): ConfigField<Tiers> {
  return {
    env,
    description: `limits per tier as JSON, e.g. {"pro":{"maxUploadBytes":107374182400}}; tiers ${tierNames.join(", ")}, limits ${limitNames.join(", ")}`,
    parse(raw) {
      if (raw === undefined || raw.trim() === "") return defaultTiers;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        throw new ConfigError(env, `is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!isPlainObject(json)) throw new ConfigError(env, `must be a JSON object of tiers (${tierNames.join(", ")})`);
      const tiers: Record<TierName, TierLimits> = { free: { ...defaultTiers.free }, pro: { ...defaultTiers.pro } };
      for (const [tier, limits] of Object.entries(json)) {
        if (!isTierName(tier)) throw new ConfigError(env, `unknown tier ${JSON.stringify(tier)}: the tiers are ${tierNames.join(", ")}`);
        if (!isPlainObject(limits)) throw new ConfigError(env, `tier ${tier}: must be an object of limits (${limitNames.join(", ")})`);
        for (const [name, value] of Object.entries(limits)) {
          if (!(limitNames as readonly string[]).includes(name)) {
            throw new ConfigError(env, `tier ${tier}: unknown limit ${JSON.stringify(name)}: the limits are ${limitNames.join(", ")}`);
          }
          const max = name === "maxUploadsPerDay" ? maxUint32 : Number.MAX_SAFE_INTEGER;
          if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
            throw new ConfigError(env, `tier ${tier}: ${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
          }
          tiers[tier][name as (typeof limitNames)[number]] = value;
        }
      }
      for (const tier of tierNames) {
        const { maxUploadBytes, maxStorageBytes } = tiers[tier];
        if (maxUploadBytes > maxStorageBytes) {
          throw new ConfigError(env, `tier ${tier}: maxUploadBytes (${maxUploadBytes}) is larger than maxStorageBytes (${maxStorageBytes})`);
        }
      }
      return tiers;
    },
  };
}
