import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Upload } from "tus-js-client";

function start(file: string, size: number, options: { endpoint: string; uploadUrl?: string; abortAt?: number }) {
  return new Promise<{ url: string; aborted: boolean }>((resolve, reject) => {
    const upload: Upload = new Upload(createReadStream(file), {
      endpoint: options.endpoint,
      uploadUrl: options.uploadUrl ?? null,
      uploadSize: size,
      chunkSize: 64 * 1024,
      retryDelays: [],
      storeFingerprintForResuming: false,
      onProgress(sent) {
        if (options.abortAt !== undefined && sent >= options.abortAt) {
          void upload.abort(false).then(() => resolve({ url: upload.url!, aborted: true }));
        }
      },
      onSuccess: () => resolve({ url: upload.url!, aborted: false }),
      onError: reject,
    });
    upload.start();
  });
}

/**
 * Uploads `file` in 64 KiB chunks with tus-js-client, interrupts it once
 * partway, then resumes it from the server's offset with a new client, as a
 * person would after a dropped connection. Returns where it was interrupted.
 */
export async function uploadWithOneInterruption(file: string, endpoint: string): Promise<{ interruptedAt: number; size: number }> {
  const { size } = await stat(file);
  const interruptedAt = Math.floor(size * 0.4);
  const first = await start(file, size, { endpoint, abortAt: interruptedAt });
  if (!first.aborted) throw new Error("the upload finished before it could be interrupted");
  const second = await start(file, size, { endpoint, uploadUrl: first.url });
  if (second.url !== first.url) throw new Error("the resume created a new upload instead of continuing the first");
  return { interruptedAt, size };
}
