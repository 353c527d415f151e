import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { findFreePort, natsJetStreamReady } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";

/**
 * A nats-server with JetStream of the test's own (temp store, free port),
 * for tests that stop and start the buffer; the shared one is never touched.
 * A restart keeps the port and the stored streams, as a real outage would.
 */
export class PrivateNats {
  private process: ChildProcess | undefined;

  private constructor(
    private readonly dir: TempDir,
    readonly port: number,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateNats> {
    const server = new PrivateNats(await createTempDir("kino-private-nats-"), await findFreePort());
    await server.start();
    return server;
  }

  /** Starts the server on its port and store; a no-op while it runs. */
  async start(): Promise<void> {
    if (this.process) return;
    this.process = spawn("nats-server", ["-js", "-a", "127.0.0.1", "-p", String(this.port), "-sd", this.dir.path], { stdio: "ignore" });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        return await natsJetStreamReady(this.port);
      } catch (error) {
        if (Date.now() > deadline) throw new Error("private nats-server did not start within 15 s", { cause: error });
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

  /** Stops the server and deletes its store: it comes back with no streams, as a replaced server would. */
  async wipe(): Promise<void> {
    await this.stop();
    await rm(this.dir.path, { recursive: true, force: true });
    await mkdir(this.dir.path);
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.dir.remove();
  }
}
