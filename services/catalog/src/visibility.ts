import { Visibility } from "@kino/proto/catalog/v1";
import { KinoError } from "@kino/platform";
import type { VisibilityName } from "./schema.ts";

const toProto: Record<VisibilityName, Visibility> = {
  PUBLIC: Visibility.PUBLIC,
  UNLISTED: Visibility.UNLISTED,
  PRIVATE: Visibility.PRIVATE,
};

export function visibilityToProto(name: VisibilityName): Visibility {
  return toProto[name];
}

/** A visibility a request sets; UNSPECIFIED or a number the contract does not know is refused. */
export function visibilityFromProto(value: Visibility): VisibilityName {
  const entry = Object.entries(toProto).find(([, proto]) => proto === value);
  if (!entry) throw new KinoError("invalid_argument", `visibility must be VISIBILITY_PUBLIC, VISIBILITY_UNLISTED or VISIBILITY_PRIVATE, got ${value}`);
  return entry[0] as VisibilityName;
}

/** CreateVideo's visibility: UNSPECIFIED (the field left out) means public. */
export function initialVisibility(value: Visibility): VisibilityName {
  return value === Visibility.UNSPECIFIED ? "PUBLIC" : visibilityFromProto(value);
}
