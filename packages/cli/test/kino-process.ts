import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const cliMain = "packages/cli/src/main.ts";

export interface KinoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningKino {
  child: ChildProcessWithoutNullStreams;
  /** Writes one line to its standard input. */
  line(text: string): void;
  /** Resolves once stdout or stderr so far matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<KinoRun>;
}

/** Everything any kino process printed in this test file, to search for leaks. */
export const transcript: string[] = [];

/**
 * The real CLI as a child process (`node --import tsx packages/cli/src/main.ts`)
 * from the repository root, with `env` over an environment that holds no
 * KINO_API_KEY or KINO_GATEWAY_URL of the caller's.
 */
export function startKino(args: string[], env: NodeJS.ProcessEnv, command: { file: string; args: string[] } | undefined = undefined): RunningKino {
  const base = { ...process.env };
  delete base.KINO_API_KEY;
  delete base.KINO_GATEWAY_URL;
  delete base.XDG_CONFIG_HOME;
  const [file, argv] = command ? [command.file, command.args] : [process.execPath, ["--import", "tsx", cliMain, ...args]];
  const child = spawn(file, argv, { cwd: repoRoot, env: { ...base, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const done = new Promise<KinoRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      transcript.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
  return {
    child,
    line(text) {
      child.stdin.write(`${text}\n`);
    },
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`kino ${args.join(" ")} printed nothing matching ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        void done.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            if (pattern.test(stdout) || pattern.test(stderr)) resolve();
            else reject(new Error(`kino ${args.join(" ")} exited without printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        });
        check();
      });
    },
    done,
  };
}

/** Runs kino to its end with `lines` as standard input. */
export async function kino(args: string[], env: NodeJS.ProcessEnv, lines: string[] = []): Promise<KinoRun> {
  const running = startKino(args, env);
  running.child.stdin.end(lines.map((l) => `${l}\n`).join(""));
  return running.done;
}
