import { KinoError } from "@kino/platform";

/**
 * A caption track's language as a canonical BCP 47 tag ("en", "pt-BR",
 * "zh-Hant"): it names the track in playlists and the manifest, so it is
 * validated like any other value that reaches a file served to players.
 */
export function normaliseCaptionLanguage(tag: string): string {
  const trimmed = tag.trim();
  if (trimmed.length === 0 || trimmed.length > 35 || !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(trimmed)) {
    throw new KinoError("invalid_argument", `language must be a BCP 47 tag such as "en" or "pt-BR" (got "${trimmed.slice(0, 40)}")`);
  }
  try {
    return Intl.getCanonicalLocales(trimmed)[0]!;
  } catch {
    throw new KinoError("invalid_argument", `language must be a BCP 47 tag such as "en" or "pt-BR" (got "${trimmed}")`);
  }
}
