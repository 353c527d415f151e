import assert from "node:assert/strict";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { createTempDir, type TempDir } from "@kino/testkit";
import { createExecutableFinder, debianPackages, defaultSearchDirs, ensureSystemPackages, findMissingPackages } from "../src/index.ts";

let bin: TempDir;

before(async () => {
  bin = await createTempDir("kino-bin-");
  for (const name of ["redis-server", "ffmpeg", "nats-server"]) {
    await writeFile(join(bin.path, name), "#!/bin/sh\n");
    await chmod(join(bin.path, name), 0o755);
  }
  // Present but not executable: does not count.
  await writeFile(join(bin.path, "ffprobe"), "");
});

after(() => bin.remove());

const wanted = [debianPackages.redis, debianPackages.ffmpeg, debianPackages.nats, debianPackages.chromium];

test("a package is missing when any of its executables is not found", () => {
  const find = createExecutableFinder([bin.path]);
  assert.deepEqual(
    findMissingPackages(wanted, find).map((p) => p.name),
    ["ffmpeg", "chromium"],
  );
});

test("a package without executables is missing when one of its files is", () => {
  const find = createExecutableFinder([bin.path]);
  const present = new Set(["/usr/lib/python3/dist-packages/google/protobuf/__init__.py"]);
  assert.deepEqual(
    findMissingPackages([debianPackages.pythonGrpc, debianPackages.pythonProtobuf], find, (path) => present.has(path)).map((p) => p.name),
    ["python3-grpcio"],
  );
});

test("without root, missing packages fail with the exact apt-get command", () => {
  const find = createExecutableFinder([bin.path]);
  assert.throws(
    () => ensureSystemPackages(wanted, silentLogger(), { find, isRoot: false }),
    (error: Error) => {
      assert.match(error.message, /missing system packages: ffmpeg, chromium/);
      assert.ok(
        error.message.includes("sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg chromium"),
        error.message,
      );
      return true;
    },
  );
});

test("nothing is installed when every package is present", () => {
  const find = createExecutableFinder([bin.path]);
  ensureSystemPackages([debianPackages.redis, debianPackages.nats], silentLogger(), { find, isRoot: false });
});

test("the default search path covers the server binaries Debian keeps outside a user's PATH", () => {
  const find = createExecutableFinder(defaultSearchDirs({ PATH: "/usr/bin:/bin" }));
  assert.equal(find("nats-server"), "/usr/sbin/nats-server");
  assert.match(find("initdb") ?? "", /^\/usr\/lib\/postgresql\/\d+\/bin\/initdb$/);
});
