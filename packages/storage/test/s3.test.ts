import { createTempDir } from "@kino/testkit";
import { createS3Storage, type S3StorageOptions } from "../src/index.ts";
import { runStorageConformance } from "./conformance.ts";
import { startS3rver } from "@kino/testkit";

const BUCKET = "kino-test";

runStorageConformance("s3", async () => {
  const dir = await createTempDir("kino-storage-s3-");
  const server = await startS3rver(dir.path, BUCKET);
  const options: S3StorageOptions = {
    bucket: BUCKET,
    endpoint: server.endpoint,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
    // The smallest parts S3 allows, one at a time: about 15 MiB held during a put.
    partSizeBytes: 5 * 1024 * 1024,
    uploadConcurrency: 1,
    // Small pages, so listing and deleting by prefix cross page boundaries.
    listPageSize: 5,
  };
  return {
    storage: createS3Storage(options),
    // Port 1 is closed: connections are refused at once.
    unreachable: createS3Storage({ ...options, endpoint: "http://127.0.0.1:1" }),
    async close() {
      await server.stop();
      await dir.remove();
    },
  };
});
