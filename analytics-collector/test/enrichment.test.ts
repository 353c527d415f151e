import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createUserAgentParser, loadCountryLookup, type CountryLookup } from "../src/index.ts";
import { clientIp } from "../src/server/client-ip.ts";
import { parseIpv6Groups } from "../src/enrich/ip-address.ts";

describe("enrichment", () => {
  let countries: CountryLookup;
  before(async () => {
    countries = await loadCountryLookup();
  });

  test("device, OS and browser come from the User-Agent", () => {
    const parse = createUserAgentParser();
    assert.deepEqual(
      parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"),
      { deviceType: "mobile", osName: "iOS", osVersion: "17.1", browserName: "Mobile Safari", browserVersion: "17.1" },
    );
    const desktop = parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
    assert.equal(desktop.deviceType, "desktop");
    assert.equal(desktop.browserName, "Chrome");
    assert.equal(desktop.osName, "Windows");
    assert.equal(parse("").deviceType, "");
  });

  test("country comes from the bundled database, for IPv4, IPv6 and IPv4-mapped addresses", () => {
    assert.equal(countries.country("8.8.8.8"), "US");
    assert.equal(countries.country("81.2.69.142"), "GB");
    assert.equal(countries.country("::ffff:81.2.69.142"), "GB");
    // uWS writes IPv4 peers of a dual-stack socket in full IPv6 form.
    assert.equal(countries.country("0000:0000:0000:0000:0000:ffff:5102:458e"), "GB");
    assert.equal(countries.country("2a00:1450:4001:81b::200e"), "IE");
    assert.equal(countries.country("127.0.0.1"), "");
    assert.equal(countries.country("not an address"), "");
  });

  test("IPv6 text forms parse to the same groups", () => {
    assert.deepEqual(parseIpv6Groups("2001:db8::1"), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6Groups("::"), [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(parseIpv6Groups("1::2::3"), undefined);
    assert.equal(parseIpv6Groups("1:2:3:4:5:6:7:8:9"), undefined);
  });

  test("X-Forwarded-For is used only behind a trusted proxy, and then its last entry", () => {
    assert.equal(clientIp(() => "10.0.0.1", "1.2.3.4", false), "10.0.0.1");
    assert.equal(clientIp(() => "10.0.0.1", "6.6.6.6, 1.2.3.4", true), "1.2.3.4");
    assert.equal(clientIp(() => "10.0.0.1", "", true), "10.0.0.1");
  });
});
