import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { parseIpv4, parseIpv6Groups } from "./ip-address.ts";

/** Country of an IP address, from a database bundled in an npm package (works offline). */
export interface CountryLookup {
  /** ISO 3166-1 alpha-2, or "" when unknown. */
  country(ip: string): string;
}

export interface CountryDatabaseFiles {
  /** CSV lines `first,last,CC` with addresses as decimal numbers. */
  ipv4: string;
  ipv6: string;
}

const require = createRequire(import.meta.url);

/** @ip-location-db/geo-whois-asn-country: CC0, from RIR whois and ASN data. */
export function bundledCountryDatabase(): CountryDatabaseFiles {
  const dir = "@ip-location-db/geo-whois-asn-country";
  return {
    ipv4: require.resolve(`${dir}/geo-whois-asn-country-ipv4-num.csv`),
    ipv6: require.resolve(`${dir}/geo-whois-asn-country-ipv6-num.csv`),
  };
}

interface RangeTable<T extends Uint32Array | BigUint64Array> {
  starts: T;
  ends: T;
  codes: string[];
}

async function loadRanges<T extends Uint32Array | BigUint64Array>(
  file: string,
  make: (n: number) => T,
  parse: (decimal: string) => T[number],
): Promise<RangeTable<T>> {
  const lines = (await readFile(file, "utf8")).split("\n").filter((line) => line.length > 0);
  const starts = make(lines.length);
  const ends = make(lines.length);
  const codes: string[] = new Array(lines.length);
  lines.forEach((line, i) => {
    const [start = "", end = "", code = ""] = line.split(",");
    starts[i] = parse(start);
    ends[i] = parse(end);
    codes[i] = code.trim();
  });
  return { starts, ends, codes };
}

function find<T extends Uint32Array | BigUint64Array>(table: RangeTable<T>, key: T[number]): string {
  let lo = 0;
  let hi = table.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((table.starts[mid] as T[number]) <= key) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && key <= (table.ends[hi] as T[number]) ? (table.codes[hi] ?? "") : "";
}

/**
 * Loads the ranges into sorted typed arrays for binary search. IPv6 ranges
 * are kept at /64 precision (the high 64 bits), which is finer than any
 * country allocation.
 */
export async function loadCountryLookup(files: CountryDatabaseFiles = bundledCountryDatabase()): Promise<CountryLookup> {
  const [v4, v6] = await Promise.all([
    loadRanges(files.ipv4, (n) => new Uint32Array(n), (s) => Number(s)),
    loadRanges(files.ipv6, (n) => new BigUint64Array(n), (s) => BigInt(s) >> 64n),
  ]);
  // Players send many beacons from one address: remember recent answers
  // (in memory only, like the address itself).
  const recent = new Map<string, string>();
  const lookup = (ip: string): string => {
    const ipv4 = parseIpv4(ip);
    if (ipv4 !== undefined) return find(v4, ipv4);
    const groups = parseIpv6Groups(ip);
    if (!groups) return "";
    // IPv4-mapped (::ffff:a.b.c.d), as dual-stack sockets report IPv4 peers.
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return find(v4, (groups[6] ?? 0) * 65536 + (groups[7] ?? 0));
    }
    const high = groups.slice(0, 4).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
    return find(v6, high);
  };
  return {
    country(ip) {
      const hit = recent.get(ip);
      if (hit !== undefined) return hit;
      const country = lookup(ip);
      if (recent.size >= 10_000) recent.clear();
      recent.set(ip, country);
      return country;
    },
  };
}
