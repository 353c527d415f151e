import assert from "node:assert/strict";
import { test } from "node:test";
import { pageScriptBytes, watchPageBudgetBytes } from "../scripts/js-budget.ts";
import { ensureWebBuild } from "../scripts/web-build.ts";

test("the watch page loads at most 250 KB of gzipped JavaScript, all under hashed names", async () => {
  await ensureWebBuild();
  const { files, gzipBytes } = await pageScriptBytes("src/pages/watch/watch-page.tsx");
  console.log(`watch page JavaScript: ${(gzipBytes / 1000).toFixed(1)} KB gzipped in ${files.length} files (budget ${watchPageBudgetBytes / 1000} KB)`);
  assert.ok(gzipBytes <= watchPageBudgetBytes, `${gzipBytes} bytes over the ${watchPageBudgetBytes} budget`);
  for (const file of files) assert.match(file, /^assets\/[\w-]+-[\w-]{8}\.js$/, "a content hash in every name, so the gateway may cache it forever");
});
