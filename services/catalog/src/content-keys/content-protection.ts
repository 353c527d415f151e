import { ContentProtection } from "@kino/proto/catalog/v1";
import { KinoError } from "@kino/platform";

/** How a video's segments are protected (kino.catalog.v1.ContentProtection), as stored. */
export type ContentProtectionName = "NONE" | "AES_128";

const toProto: Record<ContentProtectionName, ContentProtection> = {
  NONE: ContentProtection.NONE,
  AES_128: ContentProtection.AES_128,
};

export function contentProtectionToProto(name: ContentProtectionName): ContentProtection {
  return toProto[name];
}

/** CreateVideo's choice: UNSPECIFIED (left out) means none; a number the contract does not know is refused. */
export function initialContentProtection(value: ContentProtection): ContentProtectionName {
  if (value === ContentProtection.UNSPECIFIED) return "NONE";
  const entry = Object.entries(toProto).find(([, proto]) => proto === value);
  if (!entry) throw new KinoError("invalid_argument", `content_protection must be CONTENT_PROTECTION_NONE or CONTENT_PROTECTION_AES_128, got ${value}`);
  return entry[0] as ContentProtectionName;
}
