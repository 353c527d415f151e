import type { AnalyticsStore } from "@kino/analytics-store";
import { secondsLiteral, videoIdList, videoIdLiteral, videoIdPattern } from "./clickhouse-literals.ts";

const hourSeconds = 3600;
/** Hourly counts cover the current hour and the 47 before it: trending compares two 24-hour windows. */
export const recentHours = 48;

export const hourStart = (seconds: number) => seconds - (seconds % hourSeconds);

export interface ViewCountsPage {
  videos: { videoId: string; totalViews: number; recentHours: { hourStart: number; views: number }[] }[];
  /** The last video id of a full page: the next page starts after it. */
  after: string | undefined;
}

async function rows<T>(store: AnalyticsStore, query: string): Promise<T[]> {
  return (await store.client.query({ query, format: "JSONEachRow" })).json<T>();
}

/**
 * Videos whose views changed since `sinceSeconds` (every viewed video when
 * undefined), by video id, from the hourly rollup: its states count each
 * view id once however often an event arrived.
 */
export async function readViewCounts(
  store: AnalyticsStore,
  request: { sinceSeconds: number | undefined; asOfSeconds: number; after: string; limit: number },
): Promise<ViewCountsPage> {
  const db = store.database;
  const conditions = [`match(video_id, ${videoIdPattern})`];
  if (request.sinceSeconds !== undefined) conditions.push(`hour >= ${secondsLiteral(hourStart(request.sinceSeconds))}`);
  if (request.after !== "") conditions.push(`video_id > ${videoIdLiteral(request.after)}`);
  const changed = await rows<{ video_id: string }>(
    store,
    `SELECT video_id FROM ${db}.video_hourly WHERE ${conditions.join(" AND ")} GROUP BY video_id ORDER BY video_id LIMIT ${request.limit + 1}`,
  );
  const ids = changed.slice(0, request.limit).map((row) => row.video_id);
  if (ids.length === 0) return { videos: [], after: undefined };
  // Every recent hour of a changed video, not only those since the watermark: a late view of an earlier hour is read with it.
  const recentFrom = hourStart(request.asOfSeconds) - (recentHours - 1) * hourSeconds;
  const [totals, hours] = await Promise.all([
    rows<{ video_id: string; views: string }>(
      store,
      `SELECT video_id, uniqExactMerge(views) AS views FROM ${db}.video_hourly WHERE video_id IN ${videoIdList(ids)} GROUP BY video_id`,
    ),
    rows<{ video_id: string; hour: string | number; views: string }>(
      store,
      `SELECT video_id, toUnixTimestamp(hour) AS hour, uniqExactMerge(views) AS views FROM ${db}.video_hourly
       WHERE video_id IN ${videoIdList(ids)} AND hour >= ${secondsLiteral(recentFrom)}
       GROUP BY video_id, hour ORDER BY video_id, hour`,
    ),
  ]);
  const total = new Map(totals.map((row) => [row.video_id, Number(row.views)]));
  const byVideo = new Map<string, { hourStart: number; views: number }[]>();
  for (const row of hours) {
    const list = byVideo.get(row.video_id) ?? [];
    list.push({ hourStart: Number(row.hour), views: Number(row.views) });
    byVideo.set(row.video_id, list);
  }
  return {
    videos: ids.map((videoId) => ({ videoId, totalViews: total.get(videoId) ?? 0, recentHours: byVideo.get(videoId) ?? [] })),
    after: changed.length > request.limit ? ids[ids.length - 1] : undefined,
  };
}
