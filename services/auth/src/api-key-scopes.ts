import { KinoError } from "@kino/platform";
import { ApiKeyScope } from "@kino/proto/auth/v1";

/** The scope names stored and logged, as the contract spells them. */
const scopeNames = new Map<ApiKeyScope, string>([
  [ApiKeyScope.VIDEOS_READ, "videos:read"],
  [ApiKeyScope.VIDEOS_WRITE, "videos:write"],
  [ApiKeyScope.ANALYTICS_READ, "analytics:read"],
  [ApiKeyScope.ADMIN, "admin"],
]);
const scopesByName = new Map([...scopeNames].map(([scope, name]) => [name, scope]));

export const adminScopeName = "admin";
export const allScopeNames: readonly string[] = [...scopeNames.values()].sort();

/** The requested scopes as stored: known, at least one, without duplicates, sorted. */
export function validateScopes(requested: readonly ApiKeyScope[]): string[] {
  if (requested.length === 0) throw new KinoError("invalid_argument", `scopes must name at least one of ${allScopeNames.join(", ")}`);
  const names = new Set<string>();
  for (const scope of requested) {
    const name = scopeNames.get(scope);
    if (!name) throw new KinoError("invalid_argument", `scopes: ${scope} is not a scope (${allScopeNames.join(", ")})`);
    names.add(name);
  }
  return [...names].sort();
}

/** Stored names back to the enum; a name this build does not know is left out rather than guessed. */
export function scopesOf(names: readonly string[]): ApiKeyScope[] {
  return names.flatMap((name) => {
    const scope = scopesByName.get(name);
    return scope === undefined ? [] : [scope];
  });
}
