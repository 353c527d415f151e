import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { PipelineStack } from "../src/pipeline-stack.ts";

/** tus: create, then one PATCH with the whole file; returns the video's id. */
export async function uploadWhole(stack: PipelineStack, file: string, title: string): Promise<string> {
  const created = await stack.uploads.createUpload({ title });
  const body = await readFile(file);
  const creation = await fetch(created.uploadUrl, { method: "POST", headers: { "tus-resumable": "1.0.0", "upload-length": String(body.length) } });
  assert.equal(creation.status, 201, await creation.text());
  const location = new URL(creation.headers.get("location")!, created.uploadUrl).href;
  const patch = await fetch(location, {
    method: "PATCH",
    headers: { "tus-resumable": "1.0.0", "upload-offset": "0", "content-type": "application/offset+octet-stream" },
    body,
  });
  assert.equal(patch.status, 204, await patch.text());
  return created.video!.id;
}
