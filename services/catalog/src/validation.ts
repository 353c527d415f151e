import { KinoError } from "@kino/platform";

export const maxTitleLength = 200;
export const maxDescriptionLength = 5000;

// C0/C1 controls other than tab: they corrupt listings and terminals.
const controlCharacters = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

export function validateTitle(raw: string): string {
  const title = raw.trim();
  if (title === "") throw new KinoError("invalid_argument", "title must not be empty");
  const length = [...title].length;
  if (length > maxTitleLength) {
    throw new KinoError("invalid_argument", `title must be at most ${maxTitleLength} characters, got ${length}`);
  }
  if (controlCharacters.test(title)) throw new KinoError("invalid_argument", "title must not contain control characters");
  return title;
}

export function validateDescription(raw: string): string {
  const length = [...raw].length;
  if (length > maxDescriptionLength) {
    throw new KinoError(
      "invalid_argument",
      `description must be at most ${maxDescriptionLength} characters, got ${length}`,
    );
  }
  return raw;
}

export function validatePageSize(raw: number): number {
  if (raw === 0) return 20;
  if (raw < 1 || raw > 100) throw new KinoError("invalid_argument", `page_size must be between 1 and 100, got ${raw}`);
  return raw;
}

export function requireId(id: string): string {
  if (id === "") throw new KinoError("invalid_argument", "id is required");
  return id;
}
