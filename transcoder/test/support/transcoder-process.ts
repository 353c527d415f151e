import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const mainPath = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The transcoder as its own process (`node --import tsx src/main.ts`), to be killed for real. */
export class TranscoderProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly exited: Promise<ProcessExit>,
    private readonly log: () => string,
  ) {}

  /** Starts one and waits until it takes jobs; `prefix` runs it through another command (`ip netns exec <ns>`). */
  static async start(env: Record<string, string>, prefix: readonly string[] = []): Promise<TranscoderProcess> {
    const command = [...prefix, process.execPath, "--import", "tsx", mainPath];
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, ...env, KINO_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<ProcessExit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      const onData = (data: Buffer) => {
        output += data.toString();
        if (output.includes('"msg":"transcoder running"')) resolve();
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      void exited.then((exit) => reject(new Error(`transcoder exited (${exit.code ?? exit.signal}) before running:\n${output}`)));
    });
    return new TranscoderProcess(child, exited, () => output);
  }

  /** Everything it logged so far (JSON lines). */
  output(): string {
    return this.log();
  }

  /** Sends `signal` and waits for the process to end. */
  async kill(signal: NodeJS.Signals): Promise<ProcessExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
