import { KinoError } from "@kino/platform";
import type { VerifiedCaller } from "./assertion-verifier.ts";

/** Who may call a method: which service identities, and whether on behalf of users. */
export interface CallerRule {
  from: readonly string[];
  /**
   * Public RPCs are made for users (or anonymous viewers) by a trusted
   * service; internal ones only by a service acting as itself, so a user's
   * token relayed by any hop never reaches them.
   */
  onBehalfOfUsers: boolean;
}

/** One rule for a whole service, or one per method (by local name); a method without a rule is closed. */
export type CallerRules = CallerRule | Record<string, CallerRule>;

function isRule(rules: CallerRules): rules is CallerRule {
  return Array.isArray((rules as CallerRule).from);
}

export function ruleFor(rules: CallerRules, methodLocalName: string): CallerRule | undefined {
  return isRule(rules) ? rules : rules[methodLocalName];
}

export function checkCallerRule(rule: CallerRule | undefined, caller: VerifiedCaller, method: string): void {
  if (!rule || !rule.from.includes(caller.principal)) {
    throw new KinoError("permission_denied", `${method} is not open to the ${caller.principal} service`);
  }
  if (caller.userId && !rule.onBehalfOfUsers) {
    throw new KinoError("permission_denied", `${method} is internal: it answers services acting for themselves, not calls made for a user`);
  }
}
