import { KinoError } from "@kino/platform";

/** RESOURCE_EXHAUSTED with the seconds to wait, which also travel as the trailing metadata `retry-after`. */
export class ThrottledError extends KinoError {
  readonly retryAfterSeconds: number;

  constructor(what: string, retryAfterSeconds: number) {
    super("resource_exhausted", `${what}; retry after ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
