import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { DetailedError, Upload } from "tus-js-client";

export interface TusUploadOptions {
  file: string;
  /** Creation endpoint, used when `uploadUrl` is absent or gone. */
  endpoint: string;
  /** An earlier upload of the same file to resume. */
  uploadUrl?: string;
  chunkSize: number;
  onProgress(sent: number, total: number): void;
  /** Called once the server created the upload, so the caller can save its URL. */
  onCreated(uploadUrl: string): Promise<void> | void;
  signal: AbortSignal;
}

export type TusOutcome =
  | { kind: "complete" }
  /** The server refused the file; `reason` is its answer (e.g. "not a video file"). */
  | { kind: "rejected"; status: number; reason: string }
  | { kind: "aborted" };

/** Runs (or resumes) one tus upload to its end, a refusal, or an abort. */
export async function runTusUpload(options: TusUploadOptions): Promise<TusOutcome> {
  const { size } = await stat(options.file);
  return new Promise((resolve, reject) => {
    let created = false;
    const upload = new Upload(createReadStream(options.file), {
      endpoint: options.endpoint,
      uploadUrl: options.uploadUrl ?? null,
      uploadSize: size,
      chunkSize: options.chunkSize,
      uploadDataDuringCreation: false,
      storeFingerprintForResuming: false,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      // 4xx answers are final: retrying a refused file cannot help.
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        return status === 0 || status === 409 || status === 423 || status === 429 || status >= 500;
      },
      onProgress: (sent, total) => options.onProgress(sent, total),
      onAfterResponse: async () => {
        if (!created && upload.url) {
          created = true;
          await options.onCreated(upload.url);
        }
      },
      onSuccess: () => resolve({ kind: "complete" }),
      onError: (error) => {
        if (options.signal.aborted) return resolve({ kind: "aborted" });
        const response = error instanceof DetailedError ? error.originalResponse : null;
        if (response && response.getStatus() >= 400 && response.getStatus() < 500) {
          const reason = (response.getBody() ?? "").trim() || `the server answered ${response.getStatus()}`;
          return resolve({ kind: "rejected", status: response.getStatus(), reason });
        }
        reject(error);
      },
    });
    options.signal.addEventListener(
      "abort",
      () => {
        void upload.abort(false).then(() => resolve({ kind: "aborted" }));
      },
      { once: true },
    );
    upload.start();
  });
}
