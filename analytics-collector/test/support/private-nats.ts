import { mkdir, rm } from "node:fs/promises";
import { findFreePort, natsJetStreamReady } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";
import { PrivateServer } from "./private-server.ts";

/**
 * A nats-server with JetStream of the test's own (temp store, free port),
 * for tests that stop and start the buffer; the shared one is never touched.
 * A restart keeps the port and the stored streams, as a real outage would.
 */
export class PrivateNats extends PrivateServer {
  private constructor(
    private readonly dir: TempDir,
    readonly port: number,
  ) {
    super({
      name: "private nats-server",
      command: "nats-server",
      args: ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir.path],
      ready: () => natsJetStreamReady(port),
      readyTimeoutMs: 15_000,
    });
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateNats> {
    const nats = new PrivateNats(await createTempDir("kino-private-nats-"), await findFreePort());
    await nats.start();
    return nats;
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
