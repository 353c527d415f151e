import { Writable } from "node:stream";
import { createLogger, type Logger } from "@kino/platform";

interface LogLine {
  level: number;
  msg?: string;
}

// pino's numeric levels.
const warnLevel = 40;
const errorLevel = 50;

/**
 * The libraries log through pino; a person at a terminal wants plain lines:
 * progress to stdout, warnings and errors to stderr.
 */
export function createConsoleLogger(level: "debug" | "info" | "warn"): Logger {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const raw of chunk.toString("utf8").split("\n")) {
        if (raw.trim() === "") continue;
        const line = JSON.parse(raw) as LogLine;
        if (line.level >= errorLevel) process.stderr.write(`error: ${line.msg ?? ""}\n`);
        else if (line.level >= warnLevel) process.stderr.write(`warning: ${line.msg ?? ""}\n`);
        else process.stdout.write(`${line.msg ?? ""}\n`);
      }
      done();
    },
  });
  return createLogger({ name: "kino", level, destination });
}
