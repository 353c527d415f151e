/**
 * What the service asks of whatever indexes the documents. PostgreSQL full
 * text is the engine today (postgres-engine.ts); a dedicated engine
 * (OpenSearch, Meilisearch) would implement the same two methods, fed by
 * the same events (see the README).
 */
export interface SearchQuery {
  text: string;
  /** Who asks: their own videos count besides everyone's public ones. */
  viewerId: string | undefined;
  category: string;
  ownerId: string;
  tag: string;
  minDurationSeconds: number;
  maxDurationSeconds: number;
  createdAfter: Date | undefined;
  createdBefore: Date | undefined;
  /** most_viewed: by the view counts copied from analytics (view_counts), then newest. */
  sort: "relevance" | "newest" | "most_viewed";
  offset: number;
  limit: number;
}

export interface SearchResultRow {
  videoId: string;
  ownerId: string;
  title: string;
  snippet: string;
  tags: string[];
  category: string;
  durationSeconds: number;
  createdAt: Date;
  posterPath: string;
}

export interface SearchEngine {
  /** Exact matches (every word, the last as a prefix), best first. */
  search(query: SearchQuery): Promise<SearchResultRow[]>;
  /** Lenient matches of a short query (one typo), most similar first. */
  searchLeniently(query: SearchQuery): Promise<SearchResultRow[]>;
}
