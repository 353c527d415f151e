import { DetailedError, Upload, type PreviousUpload } from "tus-js-client";
import { csrfHeaders } from "../../api/cookies.ts";
import { sessionUrlStorage } from "./session-url-storage.ts";

export interface TusCallbacks {
  onProgress(sent: number, total: number): void;
  /** The server's offset when a stored upload was resumed. */
  onResumed(offset: number): void;
  onSuccess(): void;
  onError(message: string): void;
}

// Bodies stay under common proxy and CDN limits (often 100 MB); the gateway keeps a cut body's bytes anyway.
const chunkSize = 64 * 1024 * 1024;

/** One resume record per file and account: the same file picked again after a reload finds it. */
export function uploadFingerprint(file: File, userId: string): string {
  return ["v1", userId, file.name, file.type, file.size, file.lastModified].join(":");
}

export async function findStoredUpload(file: File, userId: string): Promise<(PreviousUpload & { videoId: string }) | undefined> {
  const [latest] = (await sessionUrlStorage.findUploadsByFingerprint(uploadFingerprint(file, userId))).sort((a, b) => b.creationTime.localeCompare(a.creationTime));
  const videoId = latest?.metadata["videoId"];
  return latest && videoId ? { ...latest, videoId } : undefined;
}

export const forgetStoredUpload = (upload: PreviousUpload) => sessionUrlStorage.removeUpload(upload.urlStorageKey);

/** The server's own words for a refused request (the gateway answers tus errors in plain text). */
function reasonOf(error: Error): string {
  const body = error instanceof DetailedError ? error.originalResponse?.getBody().trim() : undefined;
  return body || error.message;
}

/** A 4xx other than a lock or a rate limit: asking again will not change it. */
function isRefusal(error: Error): boolean {
  const status = error instanceof DetailedError ? (error.originalResponse?.getStatus() ?? 0) : 0;
  return status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429;
}

/** Starts a tus upload to a fresh endpoint from CreateUpload, or resumes `previous` from the server's offset. */
export function startTusUpload(
  file: File,
  target: { userId: string; videoId: string; endpoint?: string; previous?: PreviousUpload },
  callbacks: TusCallbacks,
): Upload {
  const upload = new Upload(file, {
    endpoint: target.endpoint ?? null,
    metadata: { filename: file.name, filetype: file.type, videoId: target.videoId },
    fingerprint: async () => uploadFingerprint(file, target.userId),
    urlStorage: sessionUrlStorage,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    chunkSize,
    retryDelays: [0, 1000, 3000, 10_000],
    headers: csrfHeaders(),
    onShouldRetry: (error) => !isRefusal(error),
    onAfterResponse: (request, response) => {
      if (request.getMethod() === "HEAD" && response.getStatus() < 300) callbacks.onResumed(Number(response.getHeader("Upload-Offset") ?? 0));
    },
    onProgress: callbacks.onProgress,
    onSuccess: callbacks.onSuccess,
    onError: (error) => {
      // Kept after a network failure, so picking the file again resumes; a refused upload cannot be resumed.
      if (isRefusal(error)) void upload.findPreviousUploads().then((stored) => Promise.all(stored.map(forgetStoredUpload)));
      callbacks.onError(reasonOf(error));
    },
  });
  if (target.previous) upload.resumeFromPreviousUpload(target.previous);
  upload.start();
  return upload;
}
