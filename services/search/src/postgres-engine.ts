import { databaseError } from "@kino/database";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { parseQuery } from "./query-words.ts";
import type { SearchDatabase } from "./schema.ts";
import type { SearchEngine, SearchQuery, SearchResultRow } from "./search-engine.ts";

interface Row {
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

function toResult(row: Row): SearchResultRow {
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
function visibleTo(viewerId: string | undefined): RawBuilder<boolean> {
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

/** PostgreSQL full text over the documents table: weighted tsvector, GIN, unaccent, pg_trgm for typos. */
export function createPostgresEngine(db: Kysely<SearchDatabase>): SearchEngine {
  async function run(statement: RawBuilder<Row>): Promise<SearchResultRow[]> {
    try {
      return (await statement.execute(db)).rows.map(toResult);
    } catch (error) {
      throw databaseError(error);
    }
  }

  return {
    search(query) {
      const parsed = parseQuery(query.text);
      const tsquery =
        parsed.kind === "all"
          ? undefined
          : parsed.kind === "websearch"
            ? sql`websearch_to_tsquery('simple', unaccent(${parsed.text}))`
            : sql`to_tsquery('simple', unaccent(${parsed.tsquery}))`;
      const where = tsquery ? and([...filters(query), sql<boolean>`search @@ ${tsquery}`]) : and(filters(query));
      const order =
        tsquery && query.sort === "relevance"
          ? sql`ts_rank_cd(search, ${tsquery}) DESC, created_at DESC, video_id`
          : sql`created_at DESC, video_id DESC`;
      const snippet = tsquery
        ? sql`ts_headline('simple', d.description, ${tsquery}, 'StartSel="",StopSel="",MaxWords=30,MinWords=12,ShortWord=2')`
        : sql`left(d.description, 200)`;
      // The page is chosen first and only its rows get a snippet: ts_headline over every match would cost more than the search.
      return run(sql<Row>`
        WITH page AS (SELECT video_id FROM documents WHERE ${where} ORDER BY ${order} OFFSET ${query.offset} LIMIT ${query.limit})
        SELECT video_id, d.owner_id, d.title, ${snippet} AS snippet, d.tags, d.category, d.duration_seconds, d.created_at, d.poster_path
        FROM page JOIN documents d USING (video_id) ORDER BY ${order}`);
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
