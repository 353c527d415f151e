import { databaseError } from "@kino/database";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { toResult, visibleTo, type Row } from "./postgres-engine.ts";
import type { SearchDatabase } from "./schema.ts";
import type { SearchResultRow } from "./search-engine.ts";

/** What related videos are matched on. */
export interface Seed {
  tags: string[];
  categories: string[];
}

/**
 * Lists that are not answers to words: related, recommended, trending.
 * Like the engine, they answer only what the viewer may find.
 */
export interface VideoListings {
  /** The tags and category of a video the viewer may watch (anyone's PUBLIC or UNLISTED READY video, or their own READY one). */
  watchable(videoId: string, viewerId: string | undefined): Promise<Seed | undefined>;
  /** The seeds of several videos, skipping those the viewer may not watch. */
  seedsOf(videoIds: string[], viewerId: string | undefined): Promise<Seed>;
  /** Those of `videoIds` the viewer may find, in the order given. */
  findable(videoIds: string[], viewerId: string | undefined, limit: number): Promise<SearchResultRow[]>;
  /** Videos sharing the most tags with the seed, then its categories, then the most viewed. */
  similar(seed: Seed, viewerId: string | undefined, excluding: string[], limit: number): Promise<SearchResultRow[]>;
  /** By view velocity: views in the last 24 hours minus the 24 before; only videos viewed in the last 24 hours. */
  trending(options: { viewerId: string | undefined; category: string; excluding: string[]; limit: number }): Promise<SearchResultRow[]>;
}

const columns = sql`d.video_id, d.owner_id, d.title, left(d.description, 200) AS snippet, d.tags, d.category, d.duration_seconds, d.created_at, d.poster_path`;

export function createPostgresListings(db: Kysely<SearchDatabase>): VideoListings {
  async function rows(statement: RawBuilder<Row>): Promise<SearchResultRow[]> {
    try {
      return (await statement.execute(db)).rows.map(toResult);
    } catch (error) {
      throw databaseError(error);
    }
  }
  // Unlisted videos are watchable by link, so their related videos may be asked for; they are still never listed.
  const watchableBy = (viewerId: string | undefined) =>
    viewerId
      ? sql<boolean>`NOT deleted AND status = 'READY' AND (visibility IN ('PUBLIC', 'UNLISTED') OR owner_id = ${viewerId})`
      : sql<boolean>`NOT deleted AND status = 'READY' AND visibility IN ('PUBLIC', 'UNLISTED')`;

  async function seedsOf(videoIds: string[], viewerId: string | undefined): Promise<Seed> {
    if (videoIds.length === 0) return { tags: [], categories: [] };
    try {
      const { rows: found } = await sql<{ tags: string[]; category: string }>`
        SELECT tags, category FROM documents WHERE video_id = ANY(${videoIds}::text[]) AND ${watchableBy(viewerId)}`.execute(db);
      return {
        tags: [...new Set(found.flatMap((row) => row.tags))],
        categories: [...new Set(found.map((row) => row.category).filter((category) => category !== ""))],
      };
    } catch (error) {
      throw databaseError(error);
    }
  }

  return {
    async watchable(videoId, viewerId) {
      try {
        const { rows: found } = await sql<{ tags: string[]; category: string }>`
          SELECT tags, category FROM documents WHERE video_id = ${videoId} AND ${watchableBy(viewerId)}`.execute(db);
        const row = found[0];
        return row ? { tags: row.tags, categories: row.category === "" ? [] : [row.category] } : undefined;
      } catch (error) {
        throw databaseError(error);
      }
    },

    seedsOf,

    findable(videoIds, viewerId, limit) {
      if (videoIds.length === 0) return Promise.resolve([]);
      return rows(sql<Row>`
        SELECT ${columns} FROM documents d
        WHERE d.video_id = ANY(${videoIds}::text[]) AND ${visibleTo(viewerId)}
        ORDER BY array_position(${videoIds}::text[], d.video_id) LIMIT ${limit}`);
    },

    similar(seed, viewerId, excluding, limit) {
      if (seed.tags.length === 0 && seed.categories.length === 0) return Promise.resolve([]);
      return rows(sql<Row>`
        SELECT ${columns} FROM documents d LEFT JOIN view_counts vc USING (video_id)
        WHERE ${visibleTo(viewerId)} AND NOT (d.video_id = ANY(${excluding}::text[]))
          AND (d.tags && ${seed.tags}::text[] OR d.category = ANY(${seed.categories}::text[]))
        ORDER BY (SELECT count(*) FROM unnest(d.tags) AS tag WHERE tag = ANY(${seed.tags}::text[])) DESC,
          d.category = ANY(${seed.categories}::text[]) DESC, coalesce(vc.total_views, 0) DESC, d.created_at DESC, d.video_id
        LIMIT ${limit}`);
    },

    trending({ viewerId, category, excluding, limit }) {
      return rows(sql<Row>`
        WITH velocity AS (
          SELECT video_id,
            sum(views) FILTER (WHERE hour >= date_trunc('hour', now()) - interval '23 hours') AS recent,
            coalesce(sum(views) FILTER (WHERE hour < date_trunc('hour', now()) - interval '23 hours'), 0) AS previous
          FROM view_hours WHERE hour >= date_trunc('hour', now()) - interval '47 hours'
          GROUP BY video_id)
        SELECT ${columns} FROM velocity v JOIN documents d USING (video_id)
        WHERE v.recent > 0 AND ${visibleTo(viewerId)} AND NOT (d.video_id = ANY(${excluding}::text[]))
          ${category === "" ? sql`` : sql`AND d.category = ${category}`}
        ORDER BY v.recent - v.previous DESC, v.recent DESC, d.video_id
        LIMIT ${limit}`);
    },
  };
}
