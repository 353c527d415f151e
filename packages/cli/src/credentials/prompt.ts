import { createInterface, type Interface } from "node:readline";
import type { ReadStream } from "node:tty";
import { KinoError } from "@kino/platform";

/**
 * How commands ask for what must not go on the command line (argv shows in
 * `ps`): on a terminal, secrets are read without echo; otherwise each answer
 * is the next line of standard input, so scripts and tests can pipe them.
 */
export interface Prompter {
  /** Whether a person is typing (stdin is a terminal). */
  readonly interactive: boolean;
  /** A visible answer (an email, a name), trimmed. */
  ask(question: string, what: string): Promise<string>;
  /** A secret (a password, a code), not echoed; kept as typed. */
  secret(question: string, what: string): Promise<string>;
  close(): void;
}

export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

export function createPrompter(streams: PromptStreams = { input: process.stdin, output: process.stderr }): Prompter {
  const { input, output } = streams;
  if (input.isTTY && typeof (input as ReadStream).setRawMode === "function") return terminalPrompter(input as ReadStream, output);
  return linePrompter(input);
}

function noInput(what: string): KinoError {
  return new KinoError("invalid_argument", `no ${what} on standard input (one line each when it is not a terminal)`);
}

function linePrompter(input: NodeJS.ReadableStream): Prompter {
  let lines: Interface | undefined;
  let iterator: AsyncIterator<string> | undefined;
  async function nextLine(what: string): Promise<string> {
    if (!iterator) {
      lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
      iterator = lines[Symbol.asyncIterator]();
    }
    const next = await iterator.next();
    if (next.done) throw noInput(what);
    return next.value.replace(/\r$/, "");
  }
  return {
    interactive: false,
    async ask(_question, what) {
      return (await nextLine(what)).trim();
    },
    secret: (_question, what) => nextLine(what),
    close() {
      lines?.close();
    },
  };
}

function terminalPrompter(input: ReadStream, output: NodeJS.WritableStream): Prompter {
  return {
    interactive: true,
    ask(question, what) {
      return new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input, output, terminal: true });
        let settled = false;
        rl.question(question, (answer) => {
          settled = true;
          rl.close();
          resolve(answer.trim());
        });
        rl.on("SIGINT", () => {
          settled = true;
          rl.close();
          process.kill(process.pid, "SIGINT");
        });
        rl.on("close", () => {
          if (!settled) reject(noInput(what));
        });
      });
    },
    secret: (question, what) => readHidden(input, output, question, what),
    close() {
      input.pause();
    },
  };
}

/** One line from a terminal in raw mode, echoing nothing. */
function readHidden(input: ReadStream, output: NodeJS.WritableStream, question: string, what: string): Promise<string> {
  const wasRaw = input.isRaw;
  // Echo off before the question shows, so nothing typed after it is echoed.
  input.setRawMode(true);
  output.write(question);
  input.setEncoding("utf8");
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let value = "";
    const finish = () => {
      input.off("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          return resolve(value);
        }
        if (ch === "\u0003") {
          // Ctrl-C: raw mode swallowed the signal; restore the terminal, then stop as the signal would.
          finish();
          process.kill(process.pid, "SIGINT");
          return;
        }
        if (ch === "\u0004" && value === "") {
          finish();
          return reject(noInput(what));
        }
        if (ch === "\u007f" || ch === "\b") value = Array.from(value).slice(0, -1).join("");
        else if (ch === "\u0015") value = "";
        else if (ch === "\u001b") break; // an escape sequence (arrow keys): ignore the rest of it
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
  });
}
