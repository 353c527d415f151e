import { BlockList, isIP } from "node:net";
import type { IncomingHttpHeaders } from "node:http";
import { ConfigError, type ConfigField } from "@kino/platform";

/** Proxies whose X-Forwarded-For is believed; none by default, so a client cannot name its own address. */
export interface TrustedProxies {
  readonly list: BlockList;
  readonly size: number;
}

export function trustedProxiesField(env: string): ConfigField<TrustedProxies> {
  return {
    env,
    description: "comma-separated addresses or CIDR ranges of proxies whose X-Forwarded-For names the client; empty trusts none",
    parse(raw) {
      const list = new BlockList();
      let size = 0;
      for (const entry of (raw ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
        const [address, prefix] = entry.split("/") as [string, string | undefined];
        const family = isIP(address);
        if (family === 0) throw new ConfigError(env, `${JSON.stringify(entry)} is not an IP address or CIDR range`);
        const type = family === 6 ? "ipv6" : "ipv4";
        if (prefix === undefined) list.addAddress(address, type);
        else {
          const bits = Number(prefix);
          if (!Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) throw new ConfigError(env, `${JSON.stringify(entry)} has a bad prefix length`);
          list.addSubnet(address, bits, type);
        }
        size += 1;
      }
      return { list, size };
    },
  };
}

function normalised(address: string): string {
  // Node reports IPv4 peers on dual-stack sockets as ::ffff:a.b.c.d.
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(trusted: TrustedProxies, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the socket peer, unless that peer is a trusted
 * proxy; then the nearest X-Forwarded-For hop that is not itself a trusted
 * proxy (entries further left are the client's own claims).
 */
export function clientAddressOf(req: { socket: { remoteAddress?: string }; headers: IncomingHttpHeaders }, trusted: TrustedProxies): string {
  const peer = normalised(req.socket.remoteAddress ?? "unknown");
  if (trusted.size === 0 || !isTrusted(trusted, peer)) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((h) => normalised(h.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return peer;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return hops[0] ?? peer;
}
