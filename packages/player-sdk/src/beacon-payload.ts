import type { Event } from "@kino/proto/analytics/v1";

/**
 * Payloads in the shape of the generated kino.analytics.v1 types, with plain
 * numbers for uint64 fields: the SDK ships without @bufbuild/protobuf (80 KB
 * minified) and writes the canonical JSON itself (see wire-json.ts).
 */
type GeneratedPayload = Exclude<Event["payload"], { case: undefined }>;

export type PayloadCase = GeneratedPayload["case"];

type Plain<T> = {
  [K in keyof T as K extends `$${string}` ? never : K]: T[K] extends bigint
    ? number
    : T[K] extends object | undefined
      ? Plain<NonNullable<T[K]>>
      : T[K];
};

export type PayloadValue<C extends PayloadCase> = Plain<Extract<GeneratedPayload, { case: C }>["value"]>;

export type Payload = { [C in PayloadCase]: { case: C; value: PayloadValue<C> } }[PayloadCase];

export type ViewCounters = Required<PayloadValue<"heartbeat">>["counters"];

/** One stamped event, before encoding. */
export interface BeaconEvent {
  eventId: string;
  viewId: string;
  viewerId: string;
  videoId: string;
  sdkName: string;
  sdkVersion: string;
  clientTimeMs: number;
  sequence: number;
  payload: Payload;
}
