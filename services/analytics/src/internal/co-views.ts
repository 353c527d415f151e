import type { AnalyticsStore } from "@kino/analytics-store";
import { secondsLiteral, videoIdList, videoIdPattern } from "./clickhouse-literals.ts";

/** The viewers of the asked-for videos a query looks at, at most: a video everyone watched must not make one huge IN set. */
const maxViewers = 100_000;

export interface CoViewed {
  videoId: string;
  coViewers: number;
}

/**
 * Who watched these also watched: from the raw events' ViewStarts in the
 * window (the table is ordered by video id, so the viewers of the asked-for
 * videos are read from their own ranges), counting each viewer once per
 * video, so duplicate events change nothing. Anonymous events (no viewer
 * id) count for nobody.
 */
export async function readCoViewedVideos(
  store: AnalyticsStore,
  request: { videoIds: readonly string[]; sinceSeconds: number; limit: number },
): Promise<CoViewed[]> {
  const db = store.database;
  const asked = videoIdList(request.videoIds);
  const since = secondsLiteral(request.sinceSeconds);
  const result = await store.client.query({
    query: `SELECT video_id, uniqExact(viewer_id) AS co_viewers
      FROM ${db}.events
      WHERE event_type = 'view_start' AND event_time >= ${since}
        AND video_id NOT IN ${asked} AND match(video_id, ${videoIdPattern})
        AND viewer_id IN (
          SELECT DISTINCT viewer_id FROM ${db}.events
          WHERE video_id IN ${asked} AND event_type = 'view_start' AND event_time >= ${since} AND viewer_id != ''
          LIMIT ${maxViewers})
      GROUP BY video_id
      ORDER BY co_viewers DESC, video_id
      LIMIT ${request.limit}`,
    format: "JSONEachRow",
  });
  const rows = await result.json<{ video_id: string; co_viewers: string }>();
  return rows.map((row) => ({ videoId: row.video_id, coViewers: Number(row.co_viewers) }));
}
