import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError, type ConfigField } from "@kino/platform";

/**
 * Who a Kino process is when it calls another service: a name (the
 * principal, e.g. "gateway" or "transcoder") and the Ed25519 key that signs
 * its caller assertions. Only the process itself holds the private key.
 */
export interface ServiceIdentity {
  principal: string;
  kid: string;
  privateKey: KeyObject;
}

/** The public keys a service accepts assertions from, by kid. */
export interface TrustedServices {
  byKid: ReadonlyMap<string, { principal: string; publicKey: KeyObject }>;
}

/** On disk: `<principal>.identity.json`, mode 0600. */
export interface IdentityFile {
  principal: string;
  kid: string;
  privateKey: string;
}

/** On disk: `trusted-services.json`, public and shareable. */
export interface TrustFile {
  services: { principal: string; kid: string; publicKey: string }[];
}

const principalPattern = /^[a-z][a-z0-9-]{0,39}$/;

export function isPrincipal(value: string): boolean {
  return principalPattern.test(value);
}

/** The RFC 7638 thumbprint of an Ed25519 public key: its members in lexical order, hashed. */
function thumbprintOf(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: "jwk" });
  return createHash("sha256").update(JSON.stringify({ crv: "Ed25519", kty: "OKP", x })).digest("base64url");
}

/** A fresh key per principal, and the trust document naming all of them. */
export function generateServiceCredentials(principals: readonly string[]): { identities: Map<string, IdentityFile>; trust: TrustFile } {
  const identities = new Map<string, IdentityFile>();
  const trust: TrustFile = { services: [] };
  for (const principal of principals) {
    if (!isPrincipal(principal)) throw new Error(`principal ${JSON.stringify(principal)} must be lower-case letters, digits and '-'`);
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const kid = thumbprintOf(publicKey);
    identities.set(principal, { principal, kid, privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString() });
    trust.services.push({ principal, kid, publicKey: publicKey.export({ format: "pem", type: "spki" }).toString() });
  }
  return { identities, trust };
}

export function identityFrom(file: IdentityFile): ServiceIdentity {
  if (typeof file.principal !== "string" || !isPrincipal(file.principal)) throw new Error("principal must be lower-case letters, digits and '-'");
  if (typeof file.kid !== "string" || file.kid === "") throw new Error("kid is missing");
  const privateKey = createPrivateKey(file.privateKey);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("privateKey must be an Ed25519 key");
  return { principal: file.principal, kid: file.kid, privateKey };
}

export function trustFrom(file: TrustFile): TrustedServices {
  if (!Array.isArray(file.services)) throw new Error("services must be a list");
  const byKid = new Map<string, { principal: string; publicKey: KeyObject }>();
  for (const [index, entry] of file.services.entries()) {
    if (typeof entry.principal !== "string" || !isPrincipal(entry.principal)) throw new Error(`services[${index}].principal is not a valid name`);
    const publicKey = createPublicKey(entry.publicKey);
    if (publicKey.asymmetricKeyType !== "ed25519") throw new Error(`services[${index}].publicKey must be an Ed25519 key`);
    byKid.set(entry.kid, { principal: entry.principal, publicKey });
  }
  return { byKid };
}

function jsonFileField<T>(env: string, description: string, parse: (json: never) => T): ConfigField<T> {
  return {
    env,
    description,
    parse(raw) {
      if (!raw) throw new ConfigError(env, "is required: the path of a file that `kino up` (or packages/grpc/src/identity/service-keys-main.ts) writes");
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(raw, "utf8"));
      } catch (error) {
        throw new ConfigError(env, `cannot read ${raw}: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        return parse(json as never);
      } catch (error) {
        // Never echo file contents: one of them holds a private key.
        throw new ConfigError(env, `${raw}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

/** This process's identity file; the private key stays inside the process. */
export function serviceIdentityField(env = "KINO_SERVICE_IDENTITY_FILE"): ConfigField<ServiceIdentity> {
  return jsonFileField(env, "this process's service identity (principal and Ed25519 private key, JSON)", identityFrom);
}

/** The public keys whose caller assertions this service accepts. */
export function trustedServicesField(env = "KINO_TRUSTED_SERVICES_FILE"): ConfigField<TrustedServices> {
  return jsonFileField(env, "public keys of the services allowed to call this one (JSON)", trustFrom);
}
