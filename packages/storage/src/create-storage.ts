import { resolve } from "node:path";
import { boolField, ConfigError, enumField, stringField, urlField, type ConfigOf, type Logger } from "@kino/platform";
import { createLocalStorage } from "./local-driver.ts";
import { createS3Storage } from "./s3-driver.ts";
import type { Storage } from "./storage.ts";

export interface LocalStorageConfig {
  driver: "local";
  /** Absolute directory of the objects. */
  root: string;
}

export interface S3StorageConfig {
  driver: "s3";
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export type StorageConfig = LocalStorageConfig | S3StorageConfig;

/** Environment fields for @kino/platform's parseConfig; spread them into a service's schema. */
export const storageConfigSchema = {
  storageDriver: enumField("KINO_STORAGE_DRIVER", ["local", "s3"], { description: "object storage driver", default: "local" }),
  storageDir: stringField("KINO_STORAGE_DIR", { description: "directory of the local driver, relative to the working directory", default: ".kino/storage" }),
  s3Bucket: stringField("KINO_S3_BUCKET", { description: "bucket of the s3 driver (required with it)", default: "" }),
  s3Endpoint: urlField("KINO_S3_ENDPOINT", ["http", "https"], { description: "S3-compatible endpoint; AWS when empty", default: "" }),
  s3Region: stringField("KINO_S3_REGION", { description: "S3 region", default: "us-east-1" }),
  s3AccessKeyId: stringField("KINO_S3_ACCESS_KEY_ID", { description: "S3 access key id (required with the s3 driver)", default: "" }),
  s3SecretAccessKey: stringField("KINO_S3_SECRET_ACCESS_KEY", { description: "S3 secret access key (required with the s3 driver)", default: "" }),
  s3ForcePathStyle: boolField("KINO_S3_FORCE_PATH_STYLE", { description: "path-style S3 URLs, as S3-compatible servers want", default: true }),
};

export type StorageEnvConfig = ConfigOf<typeof storageConfigSchema>;

function required(variable: string, value: string): string {
  if (value === "") throw new ConfigError(variable, "is required when KINO_STORAGE_DRIVER=s3");
  return value;
}

/** The driver config the parsed environment asks for; throws ConfigError naming a missing S3 variable. */
export function storageFromConfig(parsed: StorageEnvConfig): StorageConfig {
  if (parsed.storageDriver === "local") return { driver: "local", root: resolve(parsed.storageDir) };
  return {
    driver: "s3",
    bucket: required("KINO_S3_BUCKET", parsed.s3Bucket),
    endpoint: parsed.s3Endpoint === "" ? undefined : parsed.s3Endpoint,
    region: parsed.s3Region,
    accessKeyId: required("KINO_S3_ACCESS_KEY_ID", parsed.s3AccessKeyId),
    secretAccessKey: required("KINO_S3_SECRET_ACCESS_KEY", parsed.s3SecretAccessKey),
    forcePathStyle: parsed.s3ForcePathStyle,
  };
}

/** The driver `config` names, logging through `logger`. */
export function createStorage(config: StorageConfig, logger: Logger): Storage {
  if (config.driver === "local") return createLocalStorage({ root: config.root, logger });
  const { driver: _s3, ...s3 } = config;
  return createS3Storage({ ...s3, logger });
}
