import { setTimeout as sleep } from "node:timers/promises";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { databaseError } from "@kino/database";
import type { GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { AnalyticsInternalService, VideoViewCounts } from "@kino/proto/analytics/v1";
import { sql, type Kysely } from "kysely";
import type { SearchDatabase } from "./schema.ts";

/** Views arriving later than the analytics service's overlap are caught by a full copy this often. */
const fullSyncEveryMs = 6 * 3_600_000;
const pageSize = 1000;
const callTimeoutMs = 10_000;

export interface ViewCountSync {
  stop(): Promise<void>;
}

async function store(db: Kysely<SearchDatabase>, videos: VideoViewCounts[]): Promise<void> {
  if (videos.length === 0) return;
  const ids = videos.map((video) => video.videoId);
  const totals = videos.map((video) => video.totalViews.toString());
  const hours = videos.flatMap((video) => video.recentHours.map((hour) => ({ id: video.videoId, hour: timestampDate(hour.hourStartTime!), views: hour.views.toString() })));
  try {
    await db.transaction().execute(async (trx) => {
      // Counts only grow: a replica that read a moment earlier cannot lower one.
      await sql`
        INSERT INTO view_counts (video_id, total_views) SELECT * FROM unnest(${ids}::text[], ${totals}::bigint[])
        ON CONFLICT (video_id) DO UPDATE SET total_views = GREATEST(view_counts.total_views, excluded.total_views)`.execute(trx);
      if (hours.length === 0) return;
      await sql`
        INSERT INTO view_hours (video_id, hour, views)
        SELECT * FROM unnest(${hours.map((h) => h.id)}::text[], ${hours.map((h) => h.hour)}::timestamptz[], ${hours.map((h) => h.views)}::bigint[])
        ON CONFLICT (video_id, hour) DO UPDATE SET views = GREATEST(view_hours.views, excluded.views)`.execute(trx);
    });
  } catch (error) {
    throw databaseError(error);
  }
}

/**
 * Copies view counts from the analytics service into search's own tables,
 * polling for the videos whose views changed since a watermark (kept in
 * memory: a restart begins with a full copy). Counts are totals, so copying
 * one twice, or two replicas copying at once, changes nothing.
 */
export function followViewCounts(options: {
  db: Kysely<SearchDatabase>;
  analytics: GrpcClient<typeof AnalyticsInternalService>;
  pollMs: number;
  logger: Logger;
}): ViewCountSync {
  const { db, analytics, pollMs, logger } = options;
  let changedSince: Timestamp | undefined;
  let lastFullSync = 0;
  const stopping = new AbortController();
  let inFlight: AbortController | undefined;

  /** One copy: everything on the first run and every few hours, else what changed since the last. */
  async function syncOnce(): Promise<void> {
    const full = changedSince === undefined || Date.now() - lastFullSync > fullSyncEveryMs;
    const since = full ? undefined : changedSince;
    const startedAt = Date.now();
    let pageToken = "";
    let next: Timestamp | undefined;
    let videos = 0;
    const call = new AbortController();
    inFlight = call;
    do {
      const page = await analytics.listViewCounts({ changedSince: since, pageSize, pageToken }, { timeoutMs: callTimeoutMs, signal: call.signal });
      await store(db, page.videos);
      videos += page.videos.length;
      next = page.nextChangedSince;
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    try {
      await sql`DELETE FROM view_hours WHERE hour < now() - interval '49 hours'`.execute(db);
    } catch (error) {
      throw databaseError(error);
    }
    changedSince = next ?? timestampFromDate(new Date(startedAt));
    if (full) lastFullSync = startedAt;
    logger.debug({ full, videos }, "view counts copied");
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await syncOnce();
      } catch (error) {
        logger.warn({ err: error }, "view counts not copied; trying again at the next poll");
      }
      await sleep(pollMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      inFlight?.abort();
      await loop;
    },
  };
}
