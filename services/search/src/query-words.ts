/** How a query's text is handed to PostgreSQL: websearch syntax, or words with a prefix last word. */
export type ParsedQuery =
  | { kind: "all" }
  | { kind: "websearch"; text: string }
  /** Letters and digits only, so each can be quoted as a lexeme; the last is matched as a prefix. */
  | { kind: "words"; words: string[] };

const maxWords = 12;

/**
 * A query as people type it. With quotes, a leading "-" or " or ", the
 * user wants web-search syntax; otherwise every word must match and the
 * last may be the start of a word (type-ahead). Words are split on what is
 * not a letter or digit, so no query text reaches tsquery syntax unquoted.
 */
export function parseQuery(raw: string): ParsedQuery {
  const text = raw.normalize("NFC").trim();
  if (text === "") return { kind: "all" };
  if (/"|(^|\s)-\S|\s(or|OR)\s/.test(text)) return { kind: "websearch", text };
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, maxWords);
  if (words.length === 0) return { kind: "all" };
  return { kind: "words", words };
}
