import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  /** Process or component name, logged as `name`. */
  name: string;
  level?: string;
  /** Where to write; defaults to stdout. */
  destination?: NodeJS.WritableStream;
}

/**
 * JSON logs. Credentials never reach the output: common secret-bearing
 * fields are redacted wherever they appear.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? "info",
      redact: {
        paths: [
          "password",
          "*.password",
          "secret",
          "*.secret",
          "token",
          "*.token",
          "authorization",
          "*.authorization",
          "headers.authorization",
          "*.headers.authorization",
          "apiKey",
          "*.apiKey",
        ],
        censor: "[redacted]",
      },
    },
    (options.destination ?? process.stdout) as DestinationStream,
  );
}

/** A logger that discards everything, for libraries used without one. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
