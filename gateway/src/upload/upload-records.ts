import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

interface RecordBase {
  uploadId: string;
  /** When the upload URL expires, in milliseconds since the epoch. */
  expiresAt: number;
  /** Who the upload URL was issued to; absent in records written before owners were kept. */
  ownerId?: string;
}

/**
 * What this host knows of the one upload a video may have. It outlives the
 * staged file, so a second creation is refused and a client that lost the
 * last response still learns how its upload ended.
 */
export type UploadRecord =
  | (RecordBase & { state: "uploading" })
  | (RecordBase & { state: "finished"; size: number })
  | (RecordBase & { state: "rejected"; reason: string });

export interface UploadRecords {
  /** Stores `record` unless the video already has one; returns the existing record then. */
  claim(videoId: string, record: UploadRecord): Promise<UploadRecord | undefined>;
  get(videoId: string): Promise<UploadRecord | undefined>;
  replace(videoId: string, record: UploadRecord): Promise<void>;
  /** Idempotent. */
  remove(videoId: string): Promise<void>;
  list(): Promise<{ videoId: string; record: UploadRecord }[]>;
}

const SUFFIX = ".json";

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

/** One small JSON file per video under `directory`; claims are atomic (exclusive create). */
export async function openUploadRecords(directory: string): Promise<UploadRecords> {
  await mkdir(directory, { recursive: true });
  // Video ids come from parsed upload ids or signed tokens: [A-Za-z0-9_-] only, never a path.
  const pathOf = (videoId: string) => join(directory, `${videoId}${SUFFIX}`);

  const get = async (videoId: string): Promise<UploadRecord | undefined> => {
    try {
      return JSON.parse(await readFile(pathOf(videoId), "utf8")) as UploadRecord;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };

  return {
    async claim(videoId, record) {
      try {
        await writeFile(pathOf(videoId), JSON.stringify(record), { flag: "wx" });
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      return get(videoId);
    },

    get,

    async replace(videoId, record) {
      // Write then rename: a reader sees the old record or the new one, never half of one.
      const temporary = `${pathOf(videoId)}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temporary, JSON.stringify(record));
      await rename(temporary, pathOf(videoId));
    },

    async remove(videoId) {
      await rm(pathOf(videoId), { force: true });
    },

    async list() {
      const names = (await readdir(directory)).filter((name) => name.endsWith(SUFFIX));
      const entries = await Promise.all(
        names.map(async (name) => {
          const videoId = name.slice(0, -SUFFIX.length);
          const record = await get(videoId);
          return record ? { videoId, record } : undefined;
        }),
      );
      return entries.filter((entry) => entry !== undefined);
    },
  };
}
