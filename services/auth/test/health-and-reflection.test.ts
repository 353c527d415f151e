import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Metadata } from "@grpc/grpc-js";
import { callerAssertionMetadataKey, createHealthClient } from "@kino/grpc";
import { callDynamic, reflectedRegistry, testServiceCredentials } from "@kino/grpc/testing";
import { AuthInternalService, AuthService } from "@kino/proto/auth/v1";
import { startAuthTestEnv, type AuthTestEnv } from "./auth-test-env.ts";

let env: AuthTestEnv;
before(async () => {
  env = await startAuthTestEnv();
});
after(() => env.close());

test("the auth service reports SERVING on the standard health protocol, for both of its services", async () => {
  const health = createHealthClient(env.started.address);
  try {
    await health.check(AuthService.typeName);
    await health.check(AuthInternalService.typeName);
    await health.check("");
  } finally {
    health.close();
  }
});

test("reflection describes AuthService with its imports, enough to call GetJwks without the .proto files", async () => {
  const { services, registry } = await reflectedRegistry(env.started.address, "v1");
  assert.ok(services.includes("kino.auth.v1.AuthService"));
  assert.ok(services.includes("kino.auth.v1.AuthInternalService"));
  assert.equal(registry.getMessage("google.protobuf.Timestamp")?.file.proto.name, "google/protobuf/timestamp.proto");
  assert.equal(registry.getMessage("kino.auth.v1.Account")?.file.proto.name, "kino/auth/v1/account.proto");
  const method = registry.getService("kino.auth.v1.AuthService")!.method.getJwks!;
  // Signed as the gateway, as every call to the service must be.
  const metadata = new Metadata();
  metadata.set(callerAssertionMetadataKey, testServiceCredentials().minter("gateway").assertionFor(AuthService.typeName));
  const answer = (await callDynamic(env.started.address, method, {}, metadata)) as unknown as { jwksJson: string };
  assert.equal(JSON.parse(answer.jwksJson).keys.length, 1);
});
