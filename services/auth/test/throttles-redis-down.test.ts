import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ApiKeyScope } from "@kino/proto/auth/v1";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";
import { startPrivateRedis, type PrivateRedis } from "./private-redis.ts";

const password = "redis may go away";

describe("without Redis, the throttled RPCs fail closed and the rest work", () => {
  let redis: PrivateRedis;
  let env: AuthTestEnv;
  before(async () => {
    redis = await startPrivateRedis();
    env = await startAuthTestEnv({ redisUrl: redis.url });
  });
  after(async () => {
    await env.close();
    await redis.stop();
  });

  test("sign-in, codes and sign-up answer UNAVAILABLE while Redis is down; sessions, keys and accounts go on; all is back with Redis", async () => {
    const email = uniqueEmail("outage");
    const tokens = await env.signUpVerified(email, password);
    const me = env.clientFor({ userId: tokens.userId });
    const { secret } = await me.createApiKey({ name: "outage", scopes: [ApiKeyScope.VIDEOS_READ] });

    await redis.stop();
    const unavailable = /throttle store cannot be reached/;
    await rejectsWith(env.client.signIn({ email, password }), GrpcStatus.UNAVAILABLE, unavailable);
    await rejectsWith(env.client.requestSignInCode({ email }), GrpcStatus.UNAVAILABLE, unavailable);
    await rejectsWith(env.client.requestPasswordReset({ email }), GrpcStatus.UNAVAILABLE, unavailable);
    await rejectsWith(env.client.signUp({ email: uniqueEmail("newcomer"), password, displayName: "New" }), GrpcStatus.UNAVAILABLE, unavailable);
    await rejectsWith(env.clientFor({ clientAddress: "203.0.113.9" }).signInWithCode({ email, code: "123456" }), GrpcStatus.UNAVAILABLE, unavailable);

    const { tokens: refreshed } = await env.client.refresh({ refreshToken: tokens.refreshToken });
    assert.ok(refreshed, "a session keeps refreshing");
    assert.equal((await env.internal.verifyApiKey({ secret })).account?.userId, tokens.userId, "API keys keep verifying");
    assert.equal((await me.getMe({})).account?.email, email);

    await redis.start();
    let signedIn = false;
    for (let waited = 0; waited < 10_000 && !signedIn; waited += 200) {
      signedIn = await env.client.signIn({ email, password }).then(
        () => true,
        async (error: { code: number }) => {
          assert.equal(error.code, GrpcStatus.UNAVAILABLE);
          await sleep(200);
          return false;
        },
      );
    }
    assert.ok(signedIn, "sign-in works again once Redis is back");
  });
});

test("the service starts without Redis: the throttled RPCs are UNAVAILABLE, the others answer", async () => {
  const redis = await startPrivateRedis();
  await redis.stop();
  const env = await startAuthTestEnv({ redisUrl: redis.url });
  try {
    await rejectsWith(env.client.signIn({ email: uniqueEmail("early"), password }), GrpcStatus.UNAVAILABLE);
    assert.equal(JSON.parse((await env.client.getJwks({})).jwksJson).keys.length, 1);
  } finally {
    await env.close();
  }
});
