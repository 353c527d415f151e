import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const mainPath = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

/** The collector as its own process (`node --import tsx src/main.ts`), to be killed for real. */
export class CollectorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly output: () => string,
  ) {}

  static async start(env: Record<string, string>): Promise<CollectorProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", mainPath], {
      env: { ...process.env, ...env, KINO_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (data: Buffer) => {
        output += data.toString();
        const match = /"port":(\d+).*"msg":"analytics collector listening"/.exec(output);
        if (match) resolve(Number(match[1]));
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => reject(new Error(`collector exited with ${code} before listening:\n${output}`)));
    });
    return new CollectorProcess(child, `http://127.0.0.1:${port}`, () => output);
  }

  /** Kills the process without warning and waits until it is gone. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }
}
