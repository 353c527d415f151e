import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, startMailCatcher, type MailCatcher, type TestDatabase } from "@kino/testkit";
import pg from "pg";
import { startAuthTestEnv, uniqueEmail } from "./auth-test-env.ts";

let database: TestDatabase;
let mail: MailCatcher;
before(async () => {
  database = await createTestDatabase("kino_auth_rehash");
  mail = await startMailCatcher();
});
after(async () => {
  await mail.close();
  await database.drop();
});

async function storedHash(email: string): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ password_hash: string }>("select password_hash from users where lower(email) = lower($1)", [email]);
    return rows[0]!.password_hash;
  } finally {
    await client.end();
  }
}

test("a hash keeps its own parameters; after they are raised, sign-in still works and rehashes with the new ones", async () => {
  const email = uniqueEmail("rehash");
  const password = "raise the cost later";

  const weak = await startAuthTestEnv({ databaseUrl: database.url, mail, argon2: { argon2MemoryKib: 8192, argon2TimeCost: 1 } });
  await weak.signUpVerified(email, password);
  await weak.close();
  assert.match(await storedHash(email), /^\$argon2id\$v=19\$m=8192,t=1,p=1\$/);

  const strong = await startAuthTestEnv({ databaseUrl: database.url, mail, argon2: { argon2MemoryKib: 9216, argon2TimeCost: 2 } });
  try {
    assert.ok((await strong.client.signIn({ email, password })).tokens, "the old hash verifies with its recorded parameters");
    const rehashed = await storedHash(email);
    assert.match(rehashed, /^\$argon2id\$v=19\$m=9216,t=2,p=1\$/);
    assert.ok((await strong.client.signIn({ email, password })).tokens);
    assert.equal(await storedHash(email), rehashed, "no rehash when the parameters are current");
  } finally {
    await strong.close();
  }
});
