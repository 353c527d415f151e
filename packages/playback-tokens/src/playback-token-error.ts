import { KinoError } from "@kino/platform";

/**
 * Why a token was refused. Callers facing the public (the origin) answer
 * every kind alike; the kind is for logs, metrics and tests.
 */
export type PlaybackTokenProblem = "malformed" | "forged" | "expired" | "other_video";

export class PlaybackTokenError extends KinoError {
  readonly problem: PlaybackTokenProblem;

  constructor(problem: PlaybackTokenProblem) {
    // One message for every problem: it may reach a client, and must not tell a forger how close they came.
    super("permission_denied", "the playback token is not valid for this video");
    this.problem = problem;
  }
}
