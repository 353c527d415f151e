import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@kino/testkit";
import { createLocalStorage } from "../src/index.ts";
import { runStorageConformance } from "./conformance.ts";

runStorageConformance("local", async () => {
  const dir = await createTempDir("kino-storage-local-");
  // A root below a regular file: every filesystem call under it fails.
  const blocker = join(dir.path, "not-a-directory");
  await writeFile(blocker, "");
  return {
    storage: createLocalStorage({ root: join(dir.path, "objects") }),
    unreachable: createLocalStorage({ root: join(blocker, "objects") }),
    close: () => dir.remove(),
  };
});
