import { isIPv4, isIPv6 } from "node:net";

/** Expands an IPv6 address to its eight groups. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""));
}

/**
 * What per-address throttles count by. IPv4 addresses count alone; IPv6
 * ones by their /64, which one subscriber usually holds whole, so stepping
 * through it buys no fresh limit. An IPv4-mapped IPv6 address is its IPv4
 * address. Anything else (not an address) counts as given, at most 64
 * characters.
 */
export function clientAddressKey(address: string): string {
  const value = address.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (isIPv4(value)) return value;
  if (isIPv6(value)) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
    if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
    // An embedded IPv4 tail only fills the low 64 bits, which the key drops.
    const groups = ipv6Groups(value.replace(/:\d+\.\d+\.\d+\.\d+$/, ":0:0"));
    return `${groups.slice(0, 4).join(":")}::/64`;
  }
  return value.slice(0, 64);
}
