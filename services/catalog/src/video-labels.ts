import { KinoError, checkText } from "@kino/platform";

export const maxTags = 20;
const maxTagLength = 40;
const slugPattern = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Tags as people type them, made comparable: NFC, lower case, surrounding
 * spaces trimmed and inner runs of white space made one space; duplicates
 * dropped (first kept). Searching and filtering rely on one spelling per tag.
 */
export function normaliseTags(raw: readonly string[]): string[] {
  const tags: string[] = [];
  for (const [index, tag] of raw.entries()) {
    const cleaned = checkText(tag, { field: `tags[${index}]`, maxLength: maxTagLength, required: true, kind: "line" })
      .normalize("NFC")
      .toLowerCase()
      .replace(/\s+/gu, " ");
    if (!tags.includes(cleaned)) tags.push(cleaned);
  }
  if (tags.length > maxTags) throw new KinoError("invalid_argument", `a video has at most ${maxTags} tags, got ${tags.length}`);
  return tags;
}

/** A BCP 47 tag in canonical form ("EN-us" → "en-US"), or "" for none. */
export function canonicalLanguage(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed === "") return "";
  try {
    const [canonical] = Intl.getCanonicalLocales(trimmed);
    if (canonical && canonical.length <= 35) return canonical;
  } catch {
    // Falls through to the refusal below.
  }
  throw new KinoError("invalid_argument", `language must be a BCP 47 tag such as "en" or "pt-BR", got ${JSON.stringify(trimmed.slice(0, 40))}`);
}

export function validateCategorySlug(raw: string, field = "category"): string {
  if (!slugPattern.test(raw)) throw new KinoError("invalid_argument", `${field} must be 1 to 40 characters of a-z, 0-9 and '-', starting with a letter`);
  return raw;
}

export function validateCategoryName(raw: string): string {
  return checkText(raw, { field: "category.name", maxLength: 80, required: true, kind: "line" });
}
