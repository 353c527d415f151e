import { sql, type Kysely } from "kysely";
import type { SearchDatabase } from "./schema.ts";

/** The tsvector columns a query matches: the title's words, or every field's. */
export type SearchColumn = "title_search" | "search";

/** How often words occur, as ANALYZE last saw them. */
export interface LexemeFrequencies {
  /**
   * The estimated share of documents whose `column` holds every word, the
   * last as a prefix (no words: all of them), taking words as independent;
   * 0 when one of them is not among the common ones, or before the
   * statistics are read.
   */
  share(column: SearchColumn, words: readonly string[], lastIsPrefix?: boolean): number;
}

const refreshMs = 5 * 60_000;

const unaccented = (word: string) => word.normalize("NFD").replace(/\p{M}/gu, "");

/**
 * PostgreSQL keeps the most common elements of a tsvector column
 * (pg_stats.most_common_elems: about the 1,000 most common lexemes at the
 * default statistics target) with the share of rows holding each. They are
 * read every few minutes in the background; a query never waits for them.
 */
export function createLexemeFrequencies(db: Kysely<SearchDatabase>, now: () => number = Date.now): LexemeFrequencies {
  let shares: Record<SearchColumn, Map<string, number>> = { title_search: new Map(), search: new Map() };
  let readAt = -Infinity;
  let reading = false;

  async function read(): Promise<void> {
    const { rows } = await sql<{ column: SearchColumn; lexemes: string[] | null; shares: number[] | null }>`
      SELECT attname AS column, most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS shares
      FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'documents' AND attname IN ('title_search', 'search')`.execute(db);
    const next: typeof shares = { title_search: new Map(), search: new Map() };
    // The shares end with three more numbers (minimum, maximum, nulls): only the first lexemes.length are the lexemes'.
    for (const row of rows) (row.lexemes ?? []).forEach((lexeme, i) => next[row.column].set(lexeme, row.shares?.[i] ?? 0));
    shares = next;
  }

  function refresh(): void {
    if (reading || now() - readAt < refreshMs) return;
    reading = true;
    readAt = now();
    // A failed read keeps the last shares; the next refresh tries again.
    read()
      .catch(() => undefined)
      .finally(() => (reading = false));
  }

  function prefixShare(column: SearchColumn, prefix: string): number {
    let sum = 0;
    for (const [lexeme, share] of shares[column]) if (lexeme.startsWith(prefix)) sum += share;
    return Math.min(1, sum);
  }

  return {
    share(column, words, lastIsPrefix = true) {
      refresh();
      let product = 1;
      words.forEach((word, i) => {
        const lexeme = unaccented(word);
        product *= lastIsPrefix && i === words.length - 1 ? prefixShare(column, lexeme) : (shares[column].get(lexeme) ?? 0);
      });
      return product;
    },
  };
}
