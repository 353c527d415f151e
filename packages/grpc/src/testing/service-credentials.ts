import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAssertionMinter, type AssertionMinter } from "../identity/caller-assertion.ts";
import { principals } from "../identity/principals.ts";
import {
  generateServiceCredentials,
  identityFrom,
  trustFrom,
  type ServiceIdentity,
  type TrustedServices,
} from "../identity/service-credentials.ts";

/** The identities Kino's processes call with. */
export const testPrincipals = [principals.gateway, principals.transcoder, principals.analytics, principals.notify, principals.search] as const;
export type TestPrincipal = (typeof testPrincipals)[number];

export interface TestServiceCredentials {
  /** What a service under test trusts: every test principal. */
  trust: TrustedServices;
  identity(principal: TestPrincipal): ServiceIdentity;
  minter(principal: TestPrincipal): AssertionMinter;
  /** The same credentials as files, for processes configured through the environment. */
  files(): { trustFile: string; identityFile(principal: TestPrincipal): string };
}

let shared: TestServiceCredentials | undefined;

/** One set of service keys per test process, so every stack in a test file trusts every other. */
export function testServiceCredentials(): TestServiceCredentials {
  shared ??= (() => {
    const { identities, trust } = generateServiceCredentials(testPrincipals);
    const parsed = new Map([...identities].map(([principal, file]) => [principal, identityFrom(file)]));
    const minters = new Map([...parsed].map(([principal, identity]) => [principal, createAssertionMinter(identity)]));
    let written: { trustFile: string; identityFile(principal: TestPrincipal): string } | undefined;
    return {
      trust: trustFrom(trust),
      identity: (principal) => parsed.get(principal)!,
      minter: (principal) => minters.get(principal)!,
      files() {
        if (!written) {
          const dir = mkdtempSync(join(tmpdir(), "kino-service-keys-"));
          writeFileSync(join(dir, "trusted-services.json"), JSON.stringify(trust), { mode: 0o600 });
          for (const [principal, file] of identities) writeFileSync(join(dir, `${principal}.identity.json`), JSON.stringify(file), { mode: 0o600 });
          written = { trustFile: join(dir, "trusted-services.json"), identityFile: (principal) => join(dir, `${principal}.identity.json`) };
        }
        return written;
      },
    };
  })();
  return shared;
}

/** A key nobody trusts, signing as if it were `principal`: for forged-caller tests. */
export function untrustedMinter(principal: string): AssertionMinter {
  const { identities } = generateServiceCredentials([principal]);
  return createAssertionMinter(identityFrom(identities.get(principal)!));
}
