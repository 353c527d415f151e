import type { AnalyticsStore } from "./analytics-store.ts";
import { stringLiteral } from "./sql-literals.ts";

export interface EventKey {
  videoId: string;
  eventId: string;
}

/** Keeps each query well under ClickHouse's default max_query_size (256 KiB). */
const keysPerQuery = 2000;

/**
 * Which of these events are already in `events`. The sink asks before
 * re-inserting a batch whose earlier insert may have succeeded (redelivered
 * message, failed or timed-out attempt), so a retry adds no physical
 * duplicates, even if an earlier attempt was partly written.
 */
export async function findStoredEventIds(store: AnalyticsStore, keys: readonly EventKey[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += keysPerQuery) {
    const slice = keys.slice(i, i + keysPerQuery);
    const videos = [...new Set(slice.map((k) => k.videoId))].map(stringLiteral).join(", ");
    const ids = slice.map((k) => stringLiteral(k.eventId)).join(", ");
    const result = await store.client.query({
      query: `SELECT DISTINCT event_id FROM ${store.database}.events WHERE video_id IN (${videos}) AND event_id IN (${ids})`,
      format: "JSONEachRow",
    });
    for (const row of await result.json<{ event_id: string }>()) found.add(row.event_id);
  }
  return found;
}
