import { KinoError } from "@kino/platform";
import type { GatewayResponse } from "../http/http-route.ts";
import { answerText } from "../http/small-answers.ts";

const statuses: Partial<Record<string, number>> = {
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  invalid_argument: 415,
  failed_precondition: 409,
  conflict: 409,
  unavailable: 503,
};

/** Answers a KinoError an image route can explain (its message is the reason); false for one it cannot, which the caller rethrows. */
export function answerImageError(res: GatewayResponse, error: unknown): boolean {
  if (!(error instanceof KinoError) || error.code === "internal") return false;
  answerText(res, statuses[error.code] ?? 500, error.message);
  return true;
}
