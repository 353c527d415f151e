import { databaseError } from "@kino/database";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { createLexemeFrequencies, type LexemeFrequencies, type SearchColumn } from "./lexeme-frequencies.ts";
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

/**
 * Who may see a document: READY and PUBLIC for everyone, READY and any
 * visibility for its owner. Status and deletion stand on their own, so the
 * planner sees the covering indexes' predicate in every query.
 */
export function visibleTo(viewerId: string | undefined): RawBuilder<boolean> {
  return viewerId
    ? sql<boolean>`status = 'READY' AND NOT deleted AND (visibility = 'PUBLIC' OR owner_id = ${viewerId})`
    : sql<boolean>`status = 'READY' AND NOT deleted AND visibility = 'PUBLIC'`;
}

/**
 * A query's filters in two parts: those a date-ordered read of the covering
 * indexes answers from its key (who sees, category, upload dates), and
 * those checked on each entry it reads.
 */
function filterParts(query: SearchQuery): { ordered: RawBuilder<boolean>[]; checked: RawBuilder<boolean>[] } {
  const ordered: RawBuilder<boolean>[] = [visibleTo(query.viewerId)];
  const checked: RawBuilder<boolean>[] = [];
  if (query.category) ordered.push(sql<boolean>`category = ${query.category}`);
  if (query.createdAfter) ordered.push(sql<boolean>`created_at >= ${query.createdAfter}`);
  if (query.createdBefore) ordered.push(sql<boolean>`created_at < ${query.createdBefore}`);
  if (query.ownerId) checked.push(sql<boolean>`owner_id = ${query.ownerId}`);
  if (query.tag) checked.push(sql<boolean>`tags @> ARRAY[${query.tag}]::text[]`);
  if (query.minDurationSeconds > 0) checked.push(sql<boolean>`duration_seconds >= ${query.minDurationSeconds}`);
  if (query.maxDurationSeconds > 0) checked.push(sql<boolean>`duration_seconds <= ${query.maxDurationSeconds}`);
  return { ordered, checked };
}

function filters(query: SearchQuery): RawBuilder<boolean>[] {
  const { ordered, checked } = filterParts(query);
  return [...ordered, ...checked];
}

const and = (parts: RawBuilder<boolean>[]) => sql.join(parts, sql` AND `);

/**
 * Matches ranked per tier. 500 keeps a common word's ranking (reading and
 * scoring each candidate's tsvector) at a few milliseconds; 2000 cost 4x
 * that for a barely different first page. Fixed, so every page ranks the
 * same candidates: relevance pages end after them (newest pages through all).
 */
const candidateLimit = 500;

/**
 * Titles with every word in at least this share of documents (by
 * PostgreSQL's statistics) are looked for among the newest `recentWindow`
 * visible ones first: at that share the window holds ~900 matches, so the
 * candidates are found in a few thousand index entries. Rarer words go
 * straight to the GIN index, which is fast for them.
 */
const denseTitleShare = 0.03;
const recentWindow = 30_000;

/**
 * The GIN index gathers every match of a prefix before it can intersect
 * (for "for": the word and every longer one, most of the table). A prefix
 * this common, after words this rare, is checked on the rows those words
 * find instead; written as ts_match_vq, the function @@ calls, the planner
 * does not hand it to the index. Only after rare words, so the planner,
 * which cannot estimate the function, still sees a small match.
 */
const commonPrefixShare = 0.01;
const rareWordsShare = 0.01;

/** Every word (letters and digits only, see query-words.ts), the last as a prefix (type-ahead) unless told otherwise. */
const tsqueryOfWords = (words: readonly string[], lastIsPrefix = true) =>
  sql`to_tsquery('simple', unaccent(${`${words.map((word) => `'${word}'`).join(" & ")}${lastIsPrefix ? ":*" : ""}`}))`;

/** The description's part that matches, without markup (clients escape what they show). */
function headline(tsquery: RawBuilder<unknown>, column: RawBuilder<unknown> = sql`description`): RawBuilder<string> {
  return sql<string>`ts_headline('simple', ${column}, ${tsquery}, 'StartSel="",StopSel="",MaxWords=30,MinWords=12,ShortWord=2')`;
}

/** PostgreSQL full text over the documents table: weighted tsvector, GIN, unaccent, pg_trgm for typos. */
export function createPostgresEngine(db: Kysely<SearchDatabase>, frequencies: LexemeFrequencies = createLexemeFrequencies(db)): SearchEngine {
  async function run(statement: RawBuilder<Row>): Promise<SearchResultRow[]> {
    try {
      return (await statement.execute(db)).rows.map(toResult);
    } catch (error) {
      throw databaseError(error);
    }
  }

  /**
   * Ranking every match of a common word is what makes full text slow (a
   * word in 40% of a million titles: half a second), and so is collecting
   * them all from the GIN index before the first can be ranked (a common
   * word's posting list, or every word starting with a common prefix). So
   * matches are ranked in two bounded tiers: `candidateLimit` whose title
   * has every word, ranked by their titles, then, when the page needs more,
   * as many of all matches, ranked by every field. A title tier of common
   * words is read from the newest visible documents, in date order from a
   * covering index alone (migration 0006), until enough match; when the
   * window holds too few (the words are rarer together than alone), or the
   * words are rare, it is asked of the GIN index. Which way depends on the
   * query alone, never on the page, so every page ranks the same
   * candidates. A word in more titles than that is ranked among the
   * candidates found; for such a word, ranks barely differ anyway.
   */
  /** Every word in `column`, as the GIN index best answers it. */
  function indexedMatch(column: SearchColumn, words: readonly string[]): RawBuilder<boolean> {
    const rest = words.slice(0, -1);
    const prefixChecked =
      rest.length > 0 && frequencies.share(column, words.slice(-1)) >= commonPrefixShare && frequencies.share(column, rest, false) < rareWordsShare;
    if (!prefixChecked) return sql<boolean>`${sql.ref(column)} @@ ${tsqueryOfWords(words)}`;
    return sql<boolean>`${sql.ref(column)} @@ ${tsqueryOfWords(rest, false)} AND ts_match_vq(${sql.ref(column)}, ${tsqueryOfWords(words.slice(-1))})`;
  }

  async function rankedInTiers(query: SearchQuery, words: readonly string[]): Promise<SearchResultRow[]> {
    const wanted = query.offset + query.limit;
    const tsquery = tsqueryOfWords(words);
    const ranked = async (candidates: RawBuilder<unknown>) => {
      try {
        const { rows } = await sql<{ video_id: string; found: string }>`
          WITH candidates AS (${candidates})
          SELECT video_id, count(*) OVER () AS found FROM candidates
          ORDER BY ts_rank_cd(words, ${tsquery}) DESC, created_at DESC, video_id LIMIT ${wanted}`.execute(db);
        return { ids: rows.map((row) => row.video_id), found: Number(rows[0]?.found ?? 0) };
      } catch (error) {
        throw databaseError(error);
      }
    };
    const fromIndex = (column: SearchColumn) =>
      ranked(sql`SELECT video_id, ${sql.ref(column)} AS words, created_at FROM documents
                 WHERE ${and([...filters(query), indexedMatch(column, words)])} LIMIT ${candidateLimit}`);
    const fromRecent = () => {
      const { ordered, checked } = filterParts(query);
      return ranked(sql`
        SELECT video_id, title_search AS words, created_at FROM (
          SELECT video_id, title_search, created_at, owner_id, duration_seconds FROM documents WHERE ${and(ordered)}
          ORDER BY created_at DESC LIMIT ${recentWindow}) AS recent
        WHERE ${and([...checked, sql<boolean>`title_search @@ ${tsquery}`])} LIMIT ${candidateLimit}`);
    };

    // Tags are not in the covering indexes: a tag filter goes to the GIN indexes.
    const dense = !query.tag && frequencies.share("title_search", words) >= denseTitleShare;
    let title = dense ? await fromRecent() : undefined;
    if (!title || title.found < candidateLimit) title = await fromIndex("title_search");
    let ids = title.ids;
    if (ids.length < wanted) {
      const seen = new Set(ids);
      ids = [...ids, ...(await fromIndex("search")).ids.filter((id) => !seen.has(id))];
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
      if (parsed.kind === "words" && query.sort === "relevance") return rankedInTiers(query, parsed.words);
      const tsquery =
        parsed.kind === "all"
          ? undefined
          : parsed.kind === "websearch"
            ? sql`websearch_to_tsquery('simple', unaccent(${parsed.text}))`
            : tsqueryOfWords(parsed.words);
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
