import { databaseError } from "@kino/database";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { parseQuery } from "./query-words.ts";
import type { SearchDatabase } from "./schema.ts";
import type { SearchEngine, SearchQuery, SearchResultRow } from "./search-engine.ts";

export interface Row {
  video_id: string;
  owner_id: string;
  title: string;
  snippet: string;
  tags: string[];
  category: string;
  duration_seconds: number;
  created_at: Date;
  poster_path: string;
}

export function toResult(row: Row): SearchResultRow {
  return {
    videoId: row.video_id,
    ownerId: row.owner_id,
    title: row.title,
    snippet: row.snippet.length > 200 ? `${row.snippet.slice(0, 199)}…` : row.snippet,
    tags: row.tags,
    category: row.category,
    durationSeconds: row.duration_seconds,
    createdAt: row.created_at,
    posterPath: row.poster_path,
  };
}

/** Who may see a document: READY and PUBLIC for everyone, READY and any visibility for its owner. */
export function visibleTo(viewerId: string | undefined): RawBuilder<boolean> {
  const listed = sql<boolean>`(status = 'READY' AND visibility = 'PUBLIC')`;
  return viewerId ? sql<boolean>`NOT deleted AND (${listed} OR (status = 'READY' AND owner_id = ${viewerId}))` : sql<boolean>`NOT deleted AND ${listed}`;
}

function filters(query: SearchQuery): RawBuilder<boolean>[] {
  const parts: RawBuilder<boolean>[] = [visibleTo(query.viewerId)];
  if (query.category) parts.push(sql<boolean>`category = ${query.category}`);
  if (query.ownerId) parts.push(sql<boolean>`owner_id = ${query.ownerId}`);
  if (query.tag) parts.push(sql<boolean>`tags @> ARRAY[${query.tag}]::text[]`);
  if (query.minDurationSeconds > 0) parts.push(sql<boolean>`duration_seconds >= ${query.minDurationSeconds}`);
  if (query.maxDurationSeconds > 0) parts.push(sql<boolean>`duration_seconds <= ${query.maxDurationSeconds}`);
  if (query.createdAfter) parts.push(sql<boolean>`created_at >= ${query.createdAfter}`);
  if (query.createdBefore) parts.push(sql<boolean>`created_at < ${query.createdBefore}`);
  return parts;
}

const and = (parts: RawBuilder<boolean>[]) => sql.join(parts, sql` AND `);

/**
 * Matches ranked per tier. 500 keeps a common word's ranking (reading and
 * scoring each candidate's tsvector) at a few milliseconds; 2000 cost 4x
 * that for a barely different first page. Fixed, so every page ranks the
 * same candidates: relevance pages end after them (newest pages through all).
 */
const candidateLimit = 500;

/** The description's part that matches, without markup (clients escape what they show). */
function headline(tsquery: RawBuilder<unknown>, column: RawBuilder<unknown> = sql`description`): RawBuilder<string> {
  return sql<string>`ts_headline('simple', ${column}, ${tsquery}, 'StartSel="",StopSel="",MaxWords=30,MinWords=12,ShortWord=2')`;
}

/** PostgreSQL full text over the documents table: weighted tsvector, GIN, unaccent, pg_trgm for typos. */
export function createPostgresEngine(db: Kysely<SearchDatabase>): SearchEngine {
  async function run(statement: RawBuilder<Row>): Promise<SearchResultRow[]> {
    try {
      return (await statement.execute(db)).rows.map(toResult);
    } catch (error) {
      throw databaseError(error);
    }
  }

  /**
   * Ranking every match of a common word is what makes full text slow (a
   * word in 40% of a million titles: half a second). So matches are ranked
   * in two bounded tiers: the first `candidateLimit` whose title has every
   * word (from the title's own index), then, when the page needs more, the
   * first as many of all matches. A word in more titles than that is ranked among the ones found
   * first; for such a word, ranks barely differ anyway.
   */
  async function rankedInTiers(query: SearchQuery, tsquery: RawBuilder<unknown>): Promise<SearchResultRow[]> {
    const wanted = query.offset + query.limit;
    const tier = async (match: RawBuilder<boolean>) => {
      try {
        const { rows } = await sql<{ video_id: string }>`
          WITH candidates AS (SELECT video_id, search, created_at FROM documents WHERE ${and([...filters(query), match])} LIMIT ${candidateLimit})
          SELECT video_id FROM candidates ORDER BY ts_rank_cd(search, ${tsquery}) DESC, created_at DESC, video_id LIMIT ${wanted}`.execute(db);
        return rows.map((row) => row.video_id);
      } catch (error) {
        throw databaseError(error);
      }
    };
    let ids = await tier(sql<boolean>`title_search @@ ${tsquery}`);
    if (ids.length < wanted) {
      const seen = new Set(ids);
      ids = [...ids, ...(await tier(sql<boolean>`search @@ ${tsquery}`)).filter((id) => !seen.has(id))];
    }
    const page = ids.slice(query.offset, wanted);
    if (page.length === 0) return [];
    return run(sql<Row>`
      SELECT video_id, owner_id, title, ${headline(tsquery)} AS snippet, tags, category, duration_seconds, created_at, poster_path
      FROM documents WHERE video_id = ANY(${page}::text[]) ORDER BY array_position(${page}::text[], video_id)`);
  }

  return {
    search(query) {
      const parsed = parseQuery(query.text);
      if (parsed.kind === "words" && query.sort === "relevance") {
        return rankedInTiers(query, sql`to_tsquery('simple', unaccent(${parsed.tsquery}))`);
      }
      const tsquery =
        parsed.kind === "all"
          ? undefined
          : parsed.kind === "websearch"
            ? sql`websearch_to_tsquery('simple', unaccent(${parsed.text}))`
            : sql`to_tsquery('simple', unaccent(${parsed.tsquery}))`;
      const where = tsquery ? and([...filters(query), sql<boolean>`search @@ ${tsquery}`]) : and(filters(query));
      const order =
        query.sort === "most_viewed"
          ? sql`coalesce(vc.total_views, 0) DESC, created_at DESC, video_id DESC`
          : tsquery && query.sort === "relevance"
            ? sql`ts_rank_cd(search, ${tsquery}) DESC, created_at DESC, video_id`
            : sql`created_at DESC, video_id DESC`;
      const snippet = tsquery ? headline(tsquery, sql`d.description`) : sql`left(d.description, 200)`;
      // The page is chosen first and only its rows get a snippet: ts_headline over every match would cost more than the search.
      // PostgreSQL drops the join to view_counts (unique key, unused) unless the order reads it.
      return run(sql<Row>`
        WITH page AS (
          SELECT video_id FROM documents LEFT JOIN view_counts vc USING (video_id)
          WHERE ${where} ORDER BY ${order} OFFSET ${query.offset} LIMIT ${query.limit})
        SELECT video_id, d.owner_id, d.title, ${snippet} AS snippet, d.tags, d.category, d.duration_seconds, d.created_at, d.poster_path
        FROM page JOIN documents d USING (video_id) LEFT JOIN view_counts vc USING (video_id) ORDER BY ${order}`);
    },

    searchLeniently(query) {
      const text = query.text.normalize("NFC").trim().toLowerCase();
      // word_similarity: how well the query matches some run of the title's words.
      return run(sql<Row>`
        SELECT video_id, owner_id, title, left(description, 200) AS snippet, tags, category, duration_seconds, created_at, poster_path
        FROM documents
        WHERE ${and(filters(query))} AND unaccent(${text}) <% title_plain
        ORDER BY word_similarity(unaccent(${text}), title_plain) DESC, created_at DESC, video_id
        OFFSET ${query.offset} LIMIT ${query.limit}`);
    },
  };
}
