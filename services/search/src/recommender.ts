import { KinoError } from "@kino/platform";
import type { CoViews, WatchHistory } from "./audience-sources.ts";
import type { VideoListings } from "./postgres-listings.ts";
import type { SearchResultRow } from "./search-engine.ts";

/** Co-viewed candidates asked for per wanted video: some are filtered out as not findable. */
const candidatesPerSlot = 3;
const maxCandidates = 200;
/** History entries read: all are left out of recommendations, the first few seed them. */
const historyRead = 100;
const historySeeds = 10;

export interface Recommender {
  related(videoId: string, viewerId: string | undefined, limit: number): Promise<SearchResultRow[]>;
  recommended(viewer: { id: string | undefined; requestId: string }, limit: number): Promise<SearchResultRow[]>;
  trending(viewerId: string | undefined, category: string, limit: number): Promise<SearchResultRow[]>;
}

/**
 * Related videos are co-views first (what people who watched this watched),
 * then shared tags and category; "for you" is the same from the recent
 * history, without anything already watched, then trending. Every list goes
 * through the documents' visibility: an id from analytics that the viewer
 * may not find is dropped.
 */
export function createRecommender(options: { listings: VideoListings; coViews: CoViews; history: WatchHistory }): Recommender {
  const { listings, coViews, history } = options;
  const candidates = (limit: number) => Math.min(maxCandidates, limit * candidatesPerSlot);

  async function alike(seedIds: string[], excluding: Set<string>, viewerId: string | undefined, limit: number, seed = listings.seedsOf(seedIds, viewerId)) {
    const coViewed = (await coViews(seedIds, candidates(limit))).filter((id) => !excluding.has(id));
    const rows = await listings.findable(coViewed, viewerId, limit);
    if (rows.length >= limit) return rows;
    const taken = [...excluding, ...rows.map((row) => row.videoId)];
    return [...rows, ...(await listings.similar(await seed, viewerId, taken, limit - rows.length))];
  }

  const trending = (viewerId: string | undefined, category: string, limit: number, excluding: string[] = []) =>
    listings.trending({ viewerId, category, excluding, limit });

  return {
    async related(videoId, viewerId, limit) {
      const seed = await listings.watchable(videoId, viewerId);
      if (!seed) throw new KinoError("not_found", `video ${videoId} not found`);
      return alike([videoId], new Set([videoId]), viewerId, limit, Promise.resolve(seed));
    },

    async recommended(viewer, limit) {
      if (!viewer.id) return trending(undefined, "", limit);
      const watched = await history(viewer.id, viewer.requestId, historyRead);
      if (watched.length === 0) return trending(viewer.id, "", limit);
      const rows = await alike(watched.slice(0, historySeeds), new Set(watched), viewer.id, limit);
      if (rows.length >= limit) return rows;
      return [...rows, ...(await trending(viewer.id, "", limit - rows.length, [...watched, ...rows.map((row) => row.videoId)]))];
    },

    trending: (viewerId, category, limit) => trending(viewerId, category, limit),
  };
}
