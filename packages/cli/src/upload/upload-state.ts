import { createHash } from "node:crypto";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** What lets a second `kino upload` of the same file resume the first. */
export interface UploadState {
  videoId: string;
  /** tus creation endpoint returned by CreateUpload. */
  endpoint: string;
  /** The tus upload's own URL, once created. */
  uploadUrl?: string;
}

export interface UploadStateStore {
  load(): Promise<UploadState | undefined>;
  save(state: UploadState): Promise<void>;
  clear(): Promise<void>;
}

/**
 * One small JSON file per source file, keyed by its absolute path, size and
 * modification time: editing the file starts a new upload, not a corrupt resume.
 */
export async function uploadStateFor(stateDir: string, file: string, gatewayUrl: string): Promise<UploadStateStore> {
  const info = await stat(file);
  const key = createHash("sha256")
    .update(`${gatewayUrl}\n${resolve(file)}\n${info.size}\n${info.mtimeMs}`)
    .digest("hex")
    .slice(0, 32);
  const path = join(stateDir, `${key}.json`);
  return {
    async load() {
      try {
        return JSON.parse(await readFile(path, "utf8")) as UploadState;
      } catch {
        return undefined;
      }
    },
    async save(state) {
      await mkdir(stateDir, { recursive: true });
      await writeFile(path, JSON.stringify(state), { mode: 0o600 });
    },
    clear: () => rm(path, { force: true }),
  };
}
