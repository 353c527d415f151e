import { BlockList, isIP } from "node:net";

// Everything that is not a unicast address on the public internet
// (IANA special-purpose registries). IPv4-mapped IPv6 addresses match the
// IPv4 rules (BlockList checks them so); NAT64 and 6to4 embed an IPv4
// address that could be private, so those prefixes are refused whole.
const ipv4 = [
  ["0.0.0.0", 8], // this network
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const;
const ipv6 = [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // protocol assignments, Teredo
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local
  ["ff00::", 8], // multicast
] as const;

const nonPublic = new BlockList();
for (const [network, prefix] of ipv4) nonPublic.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of ipv6) nonPublic.addSubnet(network, prefix, "ipv6");

/** True for an IP address a webhook may be sent to: public unicast. Anything that is not an address is false. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !nonPublic.check(address, family === 4 ? "ipv4" : "ipv6");
}
