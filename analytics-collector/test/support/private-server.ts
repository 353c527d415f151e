import { spawn, type ChildProcess } from "node:child_process";

export interface PrivateServerOptions {
  /** Named in the error when the server does not come up. */
  name: string;
  command: string;
  args: string[];
  /** Resolves once the server answers; rejects while it does not yet. */
  ready: () => Promise<void>;
  readyTimeoutMs: number;
}

/** One server process that a test may kill and start again on the same ports and data; the private servers extend it. */
export class PrivateServer {
  private process: ChildProcess | undefined;

  constructor(private readonly options: PrivateServerOptions) {}

  /** Starts the server and waits until it is ready; a no-op while it runs. */
  async start(): Promise<void> {
    if (this.process) return;
    const { name, command, args, ready, readyTimeoutMs } = this.options;
    this.process = spawn(command, args, { stdio: "ignore" });
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      try {
        return await ready();
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`${name} did not start within ${readyTimeoutMs / 1000} s`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** Stops the server abruptly, as an outage would. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}
