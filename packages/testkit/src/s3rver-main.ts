/**
 * Runs s3rver as its own process for the S3 tests: `node
 * --openssl-legacy-provider --import tsx s3rver-main.ts <dir> <bucket>`.
 * Its own process, because s3rver's list continuation tokens use DES, which
 * Node offers only with the legacy OpenSSL provider, and so that the tests'
 * memory figures count the driver alone. Prints `{"port":N}` once listening.
 */
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) throw new Error("usage: s3rver-main.ts <directory> <bucket>");

const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const { port } = (await server.run()) as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once("SIGTERM", () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
});
