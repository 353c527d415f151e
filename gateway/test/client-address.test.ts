import assert from "node:assert/strict";
import { test } from "node:test";
import { clientAddressOf, trustedProxiesField } from "../src/http/client-address.ts";

const request = (peer: string, forwardedFor?: string) => ({
  socket: { remoteAddress: peer },
  headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
});

test("by default X-Forwarded-For is ignored: a client cannot name its own address", () => {
  const none = trustedProxiesField("KINO_TRUSTED_PROXIES").parse(undefined);
  assert.equal(clientAddressOf(request("203.0.113.7", "198.51.100.1"), none), "203.0.113.7");
  assert.equal(clientAddressOf(request("::ffff:203.0.113.7"), none), "203.0.113.7");
});

test("behind trusted proxies, the nearest untrusted hop is the client, whatever the client prepended", () => {
  const trusted = trustedProxiesField("KINO_TRUSTED_PROXIES").parse("10.0.0.0/8, 2001:db8::1");
  assert.equal(clientAddressOf(request("10.1.2.3", "1.1.1.1, 198.51.100.9, 10.0.0.5"), trusted), "198.51.100.9");
  assert.equal(clientAddressOf(request("2001:db8::1", "198.51.100.9"), trusted), "198.51.100.9");
  assert.equal(clientAddressOf(request("10.1.2.3", "not-an-address"), trusted), "10.1.2.3", "garbage falls back to the peer");
  assert.equal(clientAddressOf(request("10.1.2.3"), trusted), "10.1.2.3");
  assert.equal(clientAddressOf(request("203.0.113.7", "198.51.100.1"), trusted), "203.0.113.7", "an untrusted peer's header is ignored");
});

test("a malformed proxy list is refused naming the option", () => {
  assert.throws(() => trustedProxiesField("KINO_TRUSTED_PROXIES").parse("10.0.0.0/33"), /KINO_TRUSTED_PROXIES: .*bad prefix length/);
  assert.throws(() => trustedProxiesField("KINO_TRUSTED_PROXIES").parse("proxy.internal"), /KINO_TRUSTED_PROXIES: .*not an IP address/);
});
