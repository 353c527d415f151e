import { ConfigError, intField, stringField, urlField, type ConfigField } from "@kino/platform";
import { isHostId } from "./upload-id.ts";

const GiB = 1024 ** 3;

function secretField(env: string): ConfigField<string> {
  return {
    env,
    description: "secret signing upload URLs (at least 32 bytes); the same on every gateway host",
    parse(raw) {
      // The value itself never appears in a message.
      if (!raw) throw new ConfigError(env, "is required");
      if (Buffer.byteLength(raw) < 32) throw new ConfigError(env, "must be at least 32 bytes long");
      return raw;
    },
  };
}

function hostIdField(env: string): ConfigField<string> {
  return {
    env,
    description: "this host's name inside upload ids, unique among gateway hosts ([A-Za-z0-9_-])",
    parse(raw) {
      const value = raw || "local";
      if (!isHostId(value)) throw new ConfigError(env, `expected 1-64 characters of [A-Za-z0-9_-], got ${JSON.stringify(value)}`);
      return value;
    },
  };
}

function withoutTrailingSlash(field: ConfigField<string>): ConfigField<string> {
  return { ...field, parse: (raw) => field.parse(raw).replace(/\/+$/, "") };
}

/** `id=url,id=url` → Map, e.g. "gw2=http://10.0.0.2:8080". */
function peersField(env: string): ConfigField<ReadonlyMap<string, string>> {
  return {
    env,
    description: "the other gateway hosts as id=base-url pairs, comma-separated, so resumes reach the host staging the file",
    parse(raw) {
      const peers = new Map<string, string>();
      for (const entry of (raw ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
        const [id = "", url = ""] = entry.split(/=(.*)/s);
        if (!isHostId(id) || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
          throw new ConfigError(env, `expected id=http(s)://host:port pairs, got ${JSON.stringify(entry)}`);
        }
        peers.set(id, url.replace(/\/+$/, ""));
      }
      return peers;
    },
  };
}

/** Upload settings; spread into the gateway's config schema. */
export const uploadConfigSchema = {
  uploadSecret: secretField("KINO_UPLOAD_SECRET"),
  publicBaseUrl: withoutTrailingSlash(
    urlField("KINO_PUBLIC_BASE_URL", ["http", "https"], {
      description: "the gateway's public URL; upload URLs are built on it",
      default: "http://127.0.0.1:8080",
    }),
  ),
  uploadMaxBytes: intField("KINO_UPLOAD_MAX_BYTES", { description: "largest file an upload accepts", default: 20 * GiB, min: 1 }),
  uploadUrlTtlMs: intField("KINO_UPLOAD_URL_TTL_MS", { description: "how long an upload URL works", default: 24 * 3600_000, min: 60_000 }),
  uploadStagingDir: stringField("KINO_UPLOAD_STAGING_DIR", {
    description: "local directory holding partial uploads until they are complete",
    default: ".kino/upload-staging",
  }),
  uploadHostId: hostIdField("KINO_UPLOAD_HOST_ID"),
  uploadPeers: peersField("KINO_UPLOAD_PEERS"),
};
