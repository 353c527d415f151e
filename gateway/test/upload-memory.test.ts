import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { rawPrefix } from "@kino/storage";
import { startUploadCatalog, startUploadHost, type UploadCatalog, type UploadHost } from "./upload-test-stack.ts";

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;

let stack: UploadCatalog;
let host: UploadHost;

before(async () => {
  stack = await startUploadCatalog();
  host = await startUploadHost(stack, { hostId: "big", maxSizeBytes: SIZE });
});

after(async () => {
  await host?.close();
  await stack?.close();
});

/** Streams `size` bytes as one PATCH, honouring backpressure; resolves with the status. */
function patchStream(url: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "PATCH",
      headers: { "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Content-Length": size },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const write = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

test("a 256 MiB upload passes through without the process holding it in memory", async () => {
  const { video, uploadUrl } = await host.uploads.createUpload({ title: "large" });
  const created = await fetch(uploadUrl, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": String(SIZE) } });
  assert.equal(created.status, 201);

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const answer = await patchStream(created.headers.get("location")!, SIZE);
  clearInterval(sampler);

  // Client and gateway share this process: holding the file would add 256 MiB.
  const growth = peak - baseline;
  assert.ok(growth < 96 * MiB, `memory grew by ${Math.round(growth / MiB)} MiB while uploading ${SIZE / MiB} MiB`);
  // The bytes are all 0x07: received whole, then refused for what they are.
  assert.equal(answer.status, 422);
  assert.match(answer.body, /not a video file/);
  assert.equal((await host.getVideo(video!.id)).status, VideoStatus.FAILED);
  const stored: string[] = [];
  for await (const object of stack.storage.list(rawPrefix(video!.id))) stored.push(object.key);
  assert.deepEqual(stored, []);
  assert.deepEqual(await host.stagedFiles(), []);
});
