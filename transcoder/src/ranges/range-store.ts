import { StorageType, type JetStreamClient, type KV } from "nats";
import type { AuxiliaryRecord, ChunkPlan, RangeRecord } from "./chunk-plan.ts";

/** Where a chunked video stands: what the store holds for one output. */
export interface ChunkState {
  plan: ChunkPlan;
  ranges: (RangeRecord | undefined)[];
  auxiliary: AuxiliaryRecord | undefined;
}

export interface RangeStore {
  /** Idempotent: a replanned output has the same plan. */
  putPlan(plan: ChunkPlan): Promise<void>;
  /** The first record of a range wins; returns the one that stands (this one or an earlier attempt's). */
  recordRange(videoId: string, outputId: string, index: number, record: RangeRecord): Promise<{ won: boolean; record: RangeRecord }>;
  recordAuxiliary(videoId: string, outputId: string, record: AuxiliaryRecord): Promise<void>;
  /** Undefined when no plan is stored for that output (it finished, or was never planned). */
  state(videoId: string, outputId: string): Promise<ChunkState | undefined>;
  /** Forgets an output once it is joined or given up. */
  remove(videoId: string, outputId: string): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The transcoders' own coordination state for chunked videos, in a
 * JetStream key-value bucket: keys `<video>.<output>.plan`,
 * `….range.<n>` and `….aux`. A range's record is written with create
 * (compare-and-set on "absent"), so of two attempts exactly one wins.
 */
export async function openRangeStore(js: JetStreamClient, bucket: string): Promise<RangeStore> {
  const kv: KV = await js.views.kv(bucket, { history: 1, storage: StorageType.File });
  const key = (videoId: string, outputId: string, ...rest: (string | number)[]) => [videoId, outputId, ...rest].join(".");
  async function read<T>(k: string): Promise<T | undefined> {
    const entry = await kv.get(k);
    if (!entry || entry.operation !== "PUT" || entry.value.length === 0) return undefined;
    return JSON.parse(decoder.decode(entry.value)) as T;
  }
  return {
    async putPlan(plan) {
      await kv.put(key(plan.videoId, plan.outputId, "plan"), encoder.encode(JSON.stringify(plan)));
    },
    async recordRange(videoId, outputId, index, record) {
      const k = key(videoId, outputId, "range", index);
      try {
        await kv.create(k, encoder.encode(JSON.stringify(record)));
        return { won: true, record };
      } catch (error) {
        const standing = await read<RangeRecord>(k);
        if (!standing) throw error;
        return { won: standing.attempt === record.attempt, record: standing };
      }
    },
    async recordAuxiliary(videoId, outputId, record) {
      await kv.put(key(videoId, outputId, "aux"), encoder.encode(JSON.stringify(record)));
    },
    async state(videoId, outputId) {
      const plan = await read<ChunkPlan>(key(videoId, outputId, "plan"));
      if (!plan) return undefined;
      const ranges = await Promise.all(plan.ranges.map((r) => read<RangeRecord>(key(videoId, outputId, "range", r.index))));
      return { plan, ranges, auxiliary: await read<AuxiliaryRecord>(key(videoId, outputId, "aux")) };
    },
    async remove(videoId, outputId) {
      const keys = await kv.keys(key(videoId, outputId, ">"));
      for await (const k of keys) await kv.purge(k);
    },
  };
}

/** Every range recorded and the auxiliary outputs made: the output can be joined. */
export function isComplete(state: ChunkState): boolean {
  return state.auxiliary !== undefined && state.ranges.every((r) => r !== undefined);
}
