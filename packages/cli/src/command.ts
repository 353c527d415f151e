import type { Logger } from "@kino/platform";

export interface CommandContext {
  repoRoot: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

export interface Command {
  name: string;
  /** One line for `kino help`. */
  summary: string;
  /** Options after the command name, for `kino help`. */
  usage?: string;
  /** Resolves to the process exit code. */
  run(args: string[], context: CommandContext): Promise<number>;
}

/** Bad arguments: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
