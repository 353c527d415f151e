import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import { createServer, connect, type Server } from "node:net";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const ip = (...args: string[]) => execFileAsync("ip", args);

/** A host of its own: a network namespace joined to this one by a veth pair. */
export interface NetnsHost {
  name: string;
  /** This namespace's end of the link: what the host reaches the test's servers at. */
  gatewayIp: string;
  /** Runs a command inside the namespace. */
  prefix: string[];
  remove(): Promise<void>;
}

/** Addresses 10.<b>.<i>.0/24, `b` random per run so two runs on one machine do not collide. */
export async function createHosts(count: number): Promise<NetnsHost[]> {
  const tag = `${process.pid % 10000}${randomInt(100)}`;
  const block = 200 + randomInt(50);
  const hosts: NetnsHost[] = [];
  try {
    for (let i = 1; i <= count; i++) {
      const name = `kino-${tag}-h${i}`;
      const outer = `kv${tag}o${i}`.slice(0, 15);
      const inner = `kv${tag}i${i}`.slice(0, 15);
      const gatewayIp = `10.${block}.${i}.1`;
      await ip("netns", "add", name);
      const host: NetnsHost = {
        name,
        gatewayIp,
        prefix: ["ip", "netns", "exec", name],
        async remove() {
          await ip("link", "del", outer).catch(() => undefined);
          await ip("netns", "del", name).catch(() => undefined);
        },
      };
      hosts.push(host);
      await ip("link", "add", outer, "type", "veth", "peer", "name", inner);
      await ip("link", "set", inner, "netns", name);
      await ip("addr", "add", `${gatewayIp}/24`, "dev", outer);
      await ip("link", "set", outer, "up");
      await ip("netns", "exec", name, "ip", "addr", "add", `10.${block}.${i}.2/24`, "dev", inner);
      await ip("netns", "exec", name, "ip", "link", "set", inner, "up");
      await ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
    }
  } catch (error) {
    for (const host of hosts) await host.remove();
    throw error;
  }
  return hosts;
}

export interface Forward {
  port: number;
  close(): Promise<void>;
}

/**
 * Makes a server listening on loopback reachable at `host:<port>`: every
 * connection is piped to `target` as it is (TCP, so NATS, gRPC over HTTP/2
 * and S3's HTTP pass unchanged).
 */
export async function forwardPort(host: string, target: { host: string; port: number }): Promise<Forward> {
  const open = new Set<{ destroy(): void }>();
  const server: Server = createServer((socket) => {
    const upstream = connect(target.port, target.host);
    open.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
      open.delete(socket);
      open.delete(upstream);
    };
    socket.on("error", end);
    upstream.on("error", end);
    socket.on("close", end);
    upstream.on("close", end);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open connections would hold close() forever.
        for (const socket of open) socket.destroy();
      }),
  };
}
