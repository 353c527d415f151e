/**
 * Integration tests talk to real servers that `kino test` starts. A missing
 * variable means the test was run outside it: fail loudly, never skip.
 */
export function requireTestEnv(name: "KINO_TEST_POSTGRES_URL" | "KINO_TEST_REDIS_URL" | "KINO_TEST_NATS_URL" | "KINO_TEST_CLICKHOUSE_URL"): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with \`./kino test\`, which starts the servers they need`);
  }
  return value;
}
