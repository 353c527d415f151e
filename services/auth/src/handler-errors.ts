import { isDatabaseUnavailable } from "@kino/database";
import type { CallContext, RetryAfterNotes } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import { ThrottledError } from "./throttled-error.ts";

type Handler = (request: never, context: CallContext) => Promise<unknown>;

/**
 * A database that cannot be reached answers UNAVAILABLE, not INTERNAL; a
 * throttled call leaves its retry-after for the trailer.
 */
export function mapHandlerErrors<H extends Record<string, Handler>>(handlers: H, retryAfter: RetryAfterNotes): H {
  const wrapped: Record<string, Handler> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = (request, context) =>
      handler(request, context).catch((error: unknown) => {
        if (error instanceof ThrottledError) retryAfter.note(context, error.retryAfterSeconds);
        throw isDatabaseUnavailable(error) ? new KinoError("unavailable", "database is unavailable", { cause: error }) : error;
      });
  }
  return wrapped as H;
}
