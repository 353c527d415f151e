import { KinoError } from "@kino/platform";
import type { ApiKeys } from "./api-keys.ts";

/**
 * The caller behind a request's Authorization header: undefined when there is
 * none (anonymous viewers may read READY videos), an error when one is given
 * but not valid, so a typo never silently downgrades to anonymous.
 */
export function authenticate(authorization: string | null | undefined, keys: ApiKeys): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new KinoError("unauthenticated", "Authorization must be 'Bearer <api key>'");
  const owner = keys.ownerOf(match[1]!);
  if (!owner) throw new KinoError("unauthenticated", "API key is not valid");
  return owner;
}
