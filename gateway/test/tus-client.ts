import { Upload, type DetailedError } from "tus-js-client";

export interface TusOutcome {
  /** The upload's URL, once created. */
  url: string | null;
  /** Set when the upload failed: the HTTP status and body of the last answer, if any. */
  error?: { status: number; body: string; message: string };
}

export interface TusOptions {
  /** Resume this upload instead of creating one at `endpoint`. */
  uploadUrl?: string;
  chunkSize?: number;
  /** Stops the upload (upload.abort()) after this many bytes were acknowledged. */
  abortAfterBytes?: number;
  /** Sends the first chunk with the creation request (creation-with-upload). */
  withCreation?: boolean;
}

/** Uploads `data` with tus-js-client, as a Node app would; resolves once it succeeds, fails or is aborted. */
export function tusUpload(endpoint: string, data: Buffer, options: TusOptions = {}): Promise<TusOutcome> {
  return new Promise((resolve) => {
    const upload: Upload = new Upload(data, {
      endpoint,
      uploadUrl: options.uploadUrl ?? null,
      chunkSize: options.chunkSize ?? Number.POSITIVE_INFINITY,
      retryDelays: [],
      uploadDataDuringCreation: options.withCreation ?? false,
      onChunkComplete(_chunk, accepted) {
        if (options.abortAfterBytes !== undefined && accepted >= options.abortAfterBytes && accepted < data.length) {
          void upload.abort().then(() => resolve({ url: upload.url }));
        }
      },
      onSuccess: () => resolve({ url: upload.url }),
      onError(error) {
        const response = (error as DetailedError).originalResponse;
        resolve({
          url: upload.url,
          error: { status: response?.getStatus() ?? 0, body: response?.getBody() ?? "", message: error.message },
        });
      },
    });
    upload.start();
  });
}
