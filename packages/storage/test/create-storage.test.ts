import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, parseConfig, silentLogger } from "@kino/platform";
import { createStorage, storageConfigSchema, storageFromConfig } from "../src/index.ts";

const s3Env = {
  KINO_STORAGE_DRIVER: "s3",
  KINO_S3_BUCKET: "kino-media",
  KINO_S3_ENDPOINT: "http://127.0.0.1:9000",
  KINO_S3_ACCESS_KEY_ID: "id",
  KINO_S3_SECRET_ACCESS_KEY: "secret",
};

describe("storage configuration", () => {
  it("defaults to the local driver under .kino/storage of the working directory", () => {
    const config = storageFromConfig(parseConfig(storageConfigSchema, {}));
    assert.deepEqual(config, { driver: "local", root: resolve(".kino/storage") });
    assert.equal(createStorage(config, silentLogger()).driver, "local");
  });

  it("reads the S3 settings, with us-east-1 and path-style URLs by default", async () => {
    const config = storageFromConfig(parseConfig(storageConfigSchema, s3Env));
    assert.deepEqual(config, {
      driver: "s3",
      bucket: "kino-media",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      accessKeyId: "id",
      secretAccessKey: "secret",
      forcePathStyle: true,
    });
    const storage = createStorage(config, silentLogger());
    assert.equal(storage.driver, "s3");
    await storage.close();
  });

  it("leaves the endpoint to AWS when unset", () => {
    const config = storageFromConfig(parseConfig(storageConfigSchema, { ...s3Env, KINO_S3_ENDPOINT: "", KINO_S3_FORCE_PATH_STYLE: "false", KINO_S3_REGION: "eu-west-1" }));
    assert.ok(config.driver === "s3");
    assert.equal(config.endpoint, undefined);
    assert.equal(config.forcePathStyle, false);
    assert.equal(config.region, "eu-west-1");
  });

  it("names the variable an S3 setup is missing", () => {
    for (const variable of ["KINO_S3_BUCKET", "KINO_S3_ACCESS_KEY_ID", "KINO_S3_SECRET_ACCESS_KEY"]) {
      const parsed = parseConfig(storageConfigSchema, { ...s3Env, [variable]: "" });
      assert.throws(() => storageFromConfig(parsed), (error: unknown) => error instanceof ConfigError && error.variable === variable);
    }
  });

  it("rejects an unknown driver and a malformed endpoint", () => {
    assert.throws(() => parseConfig(storageConfigSchema, { KINO_STORAGE_DRIVER: "ftp" }), /KINO_STORAGE_DRIVER/);
    assert.throws(() => parseConfig(storageConfigSchema, { ...s3Env, KINO_S3_ENDPOINT: "minio:9000" }), /KINO_S3_ENDPOINT/);
  });
});
