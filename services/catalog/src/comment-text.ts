import { KinoError } from "@kino/platform";

export const maxCommentLength = 2000;

// As @kino/platform's block text: tab and newline are the only controls kept.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The rules a comment's text breaks, each with a stable code that starts the error message. */
export type CommentTextRule = "comment_text_empty" | "comment_text_too_long" | "comment_text_control_character" | "comment_text_invalid_unicode";

function refused(rule: CommentTextRule, detail: string): KinoError {
  return new KinoError("invalid_argument", `${rule}: ${detail}`);
}

/**
 * A comment's text as stored: CRLF as LF, trimmed, in NFC (so the same
 * words typed on two keyboards are the same text), 1 to 2000 characters
 * (code points), no control characters but tab and newline.
 */
export function checkCommentText(raw: string): string {
  if (loneSurrogate.test(raw)) throw refused("comment_text_invalid_unicode", "text is not valid Unicode (a lone surrogate)");
  const value = raw.replace(/\r\n/g, "\n").trim().normalize("NFC");
  if (value === "") throw refused("comment_text_empty", "text must not be empty");
  const length = [...value].length;
  if (length > maxCommentLength) throw refused("comment_text_too_long", `text must be at most ${maxCommentLength} characters, got ${length}`);
  const control = controls.exec(value);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw refused("comment_text_control_character", `text must not contain control characters other than tab and newline: found U+${code} at character ${[...value.slice(0, control.index)].length + 1}`);
  }
  return value;
}
