import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { KinoError } from "@kino/platform";
import { isPublicAddress } from "./address-policy.ts";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Names to addresses: the system resolver in production; tests pass one that plays a rebinding DNS server. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Where a webhook may go. With `allowPrivate` every address is allowed (tests, closed networks). */
export interface AddressGuard {
  /**
   * The addresses of `hostname` (a URL's hostname, IPv6 in brackets),
   * each one checked; a name with any non-public address is refused whole,
   * since the connection could reach any of them.
   */
  resolve(hostname: string): Promise<ResolvedAddress[]>;
  /** A `lookup` for http.request that connects only to addresses resolve() vetted, at connection time. */
  lookup: LookupFunction;
}

export function createAddressGuard(options: { resolver: HostResolver; allowPrivate: boolean }): AddressGuard {
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    const bare = hostname.replace(/^\[(.*)\]$/, "$1");
    const literal = isIP(bare);
    let addresses: ResolvedAddress[];
    if (literal !== 0) {
      addresses = [{ address: bare, family: literal === 6 ? 6 : 4 }];
    } else {
      try {
        addresses = await options.resolver(bare);
      } catch (error) {
        throw new KinoError("invalid_argument", "the URL's host does not resolve", { cause: error });
      }
    }
    if (addresses.length === 0) throw new KinoError("invalid_argument", "the URL's host does not resolve");
    if (!options.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
      throw new KinoError("invalid_argument", "the URL's host is not a public address (loopback, private, link-local and reserved ones are refused)");
    }
    return addresses;
  };
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(Object.assign(error, { code: "ENOTPUBLIC" }), "", 0),
    );
  };
  return { resolve, lookup: guardedLookup };
}
