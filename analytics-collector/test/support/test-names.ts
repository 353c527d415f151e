import { randomBytes } from "node:crypto";

/** Names of a ClickHouse database and a JetStream stream of this test file alone. */
export function uniqueNames(prefix: string) {
  const suffix = randomBytes(4).toString("hex");
  return {
    database: `kino_${prefix}_${suffix}`,
    stream: `KINO_${prefix.toUpperCase()}_${suffix}`,
    subject: `kino.test.${prefix}.${suffix}`,
    consumer: `sink_${suffix}`,
  };
}
