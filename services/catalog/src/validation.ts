import { KinoError, checkText, isOwnerId, isVideoId, ownerIdShape, videoIdShape, type TextRule } from "@kino/platform";

export const maxTitleLength = 200;
export const maxDescriptionLength = 5000;

const titleRule: TextRule = { field: "title", maxLength: maxTitleLength, required: true, kind: "line" };
const descriptionRule: TextRule = { field: "description", maxLength: maxDescriptionLength, kind: "block" };

export function validateTitle(raw: string): string {
  return checkText(raw, titleRule);
}

export function validateDescription(raw: string): string {
  return checkText(raw, descriptionRule);
}

export function validatePageSize(raw: number): number {
  if (raw === 0) return 20;
  if (raw < 1 || raw > 100) throw new KinoError("invalid_argument", `page_size must be between 1 and 100, got ${raw}`);
  return raw;
}

/** A video id from a request; a malformed one is refused without being echoed. */
export function requireId(id: string, field = "id"): string {
  if (id === "") throw new KinoError("invalid_argument", `${field} is required`);
  if (!isVideoId(id)) throw new KinoError("invalid_argument", `${field} must be a video id (${videoIdShape}), got ${id.length} characters that are not`);
  return id;
}

/** An owner filter: empty for none, else an owner id. */
export function validateOwnerFilter(ownerId: string): string {
  if (ownerId !== "" && !isOwnerId(ownerId)) throw new KinoError("invalid_argument", `owner_id must be ${ownerIdShape}`);
  return ownerId;
}
