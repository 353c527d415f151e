import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHealthClient } from "@kino/grpc";
import { callDynamic, reflectedRegistry } from "@kino/grpc/testing";
import { AuthService } from "@kino/proto/auth/v1";
import { startAuthTestEnv, type AuthTestEnv } from "./auth-test-env.ts";

let env: AuthTestEnv;
before(async () => {
  env = await startAuthTestEnv();
});
after(() => env.close());

test("the auth service reports SERVING on the standard health protocol", async () => {
  const health = createHealthClient(env.started.address);
  try {
    await health.check(AuthService.typeName);
    await health.check("");
  } finally {
    health.close();
  }
});

test("reflection describes AuthService with its imports, enough to call GetJwks without the .proto files", async () => {
  const { services, registry } = await reflectedRegistry(env.started.address, "v1");
  assert.ok(services.includes("kino.auth.v1.AuthService"));
  assert.equal(registry.getMessage("google.protobuf.Timestamp")?.file.proto.name, "google/protobuf/timestamp.proto");
  const method = registry.getService("kino.auth.v1.AuthService")!.method.getJwks!;
  const answer = (await callDynamic(env.started.address, method, {})) as unknown as { jwksJson: string };
  assert.equal(JSON.parse(answer.jwksJson).keys.length, 1);
});
