export { attachKinoAnalytics, type KinoAnalytics, type KinoAnalyticsOptions } from "./attach.ts";
export type { HlsLike, HlsLevelLike, HlsErrorLike, MediaLike } from "./media-like.ts";
export type { DeliveryStats } from "./delivery.ts";
export type { BackoffPolicy } from "./backoff.ts";
export type { BeaconEvent, Payload, PayloadCase, PayloadValue, ViewCounters } from "./beacon-payload.ts";
export type { PositionListener } from "./position-report.ts";
