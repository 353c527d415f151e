import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ensureServiceKeyFiles, identityFileName, principals, trustFileName, type TrustFile } from "../src/index.ts";

test("keys are made once per principal; a principal added later gets a key and joins the trust file, the others are kept", async () => {
  const dir = { path: await mkdtemp(join(tmpdir(), "kino-service-keys-")) };
  try {
    assert.deepEqual(await ensureServiceKeyFiles(dir.path), { created: true, added: Object.values(principals) });
    const trustPath = join(dir.path, trustFileName);
    const first = JSON.parse(await readFile(trustPath, "utf8")) as TrustFile;
    assert.deepEqual(first.services.map((s) => s.principal).sort(), Object.values(principals).sort());
    assert.deepEqual(await ensureServiceKeyFiles(dir.path), { created: false, added: [] });

    // A set made before the notify service existed.
    const gatewayKey = await readFile(join(dir.path, identityFileName(principals.gateway)), "utf8");
    await writeFile(trustPath, JSON.stringify({ services: first.services.filter((s) => s.principal !== principals.notify) }));
    assert.deepEqual(await ensureServiceKeyFiles(dir.path), { created: false, added: [principals.notify] });
    const second = JSON.parse(await readFile(trustPath, "utf8")) as TrustFile;
    assert.equal(second.services.length, first.services.length);
    assert.deepEqual(second.services.filter((s) => s.principal !== principals.notify), first.services.filter((s) => s.principal !== principals.notify));
    assert.notEqual(second.services.find((s) => s.principal === principals.notify)?.kid, first.services.find((s) => s.principal === principals.notify)?.kid);
    assert.equal(await readFile(join(dir.path, identityFileName(principals.gateway)), "utf8"), gatewayKey, "existing identities are kept");
  } finally {
    await rm(dir.path, { recursive: true, force: true });
  }
});
