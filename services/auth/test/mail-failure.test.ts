import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { createLogger } from "@kino/platform";
import { startMailCatcher } from "@kino/testkit";
import { startAuthTestEnv, uniqueEmail } from "./auth-test-env.ts";

test("with the SMTP server down, sign-up still answers OK (as it would for any address) and the failure is logged without the code", async () => {
  const gone = await startMailCatcher();
  await gone.close();
  let logged = "";
  const destination = new PassThrough();
  destination.on("data", (chunk: Buffer) => {
    logged += chunk.toString("utf8");
  });
  const env = await startAuthTestEnv({ mail: gone, logger: createLogger({ name: "auth", level: "info", destination }) });
  try {
    await env.client.signUp({ email: uniqueEmail("nomail"), password: "nobody hears this", displayName: "No Mail" });
    await env.client.requestSignInCode({ email: uniqueEmail("nomail") });
  } finally {
    await env.close(); // waits for mail under way
  }
  assert.match(logged, /"msg":"mail not sent"/);
  assert.match(logged, /ECONNREFUSED/);
  assert.ok(!/\b\d{6}\b/.test(logged.replace(/"(time|pid|grpcPort|opsPort)":\d+/g, "")), "no code in the log");
});
