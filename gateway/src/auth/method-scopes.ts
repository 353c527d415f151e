import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Scope } from "./caller.ts";

/**
 * The scope each public RPC needs from a signed-in caller, by method. Reads
 * stay open to anonymous viewers (the services decide what they may see);
 * a credential lacking the scope is refused rather than treated as
 * anonymous. `null` means no scope: account self-service, which API keys
 * cannot reach (see `peopleOnly`).
 */
export type MethodScopes = Record<string, Scope | null>;

export interface ScopeRules {
  service: DescService;
  scopes: MethodScopes;
  /** Methods only a person (access token or session) may call: managing the account and its keys. */
  peopleOnly?: readonly string[];
}

export function requiredScope(rules: readonly ScopeRules[], method: DescMethod): { scope: Scope | null; peopleOnly: boolean } | undefined {
  const entry = rules.find((rule) => rule.service.typeName === method.parent.typeName);
  if (!entry || !(method.localName in entry.scopes)) return undefined;
  return { scope: entry.scopes[method.localName]!, peopleOnly: entry.peopleOnly?.includes(method.localName) ?? false };
}

/** Every method of every service must have an entry: a new RPC without one would otherwise be open by accident. */
export function assertEveryMethodScoped(rules: readonly ScopeRules[]): void {
  for (const { service, scopes } of rules) {
    for (const method of service.methods) {
      if (!(method.localName in scopes)) throw new Error(`${service.typeName}.${method.name} has no scope rule in the gateway`);
    }
  }
}
