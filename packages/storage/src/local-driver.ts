import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { access, constants, mkdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { silentLogger, type Logger } from "@kino/platform";
import { StorageError } from "./errors.ts";
import { validateKey, validatePrefix } from "./keys.ts";
import { localPaths } from "./local-paths.ts";
import { appendTrailer, openObjectFile, type OpenedObject, type WrittenObject } from "./local-object-file.ts";
import { prefixDir, pruneEmptyDirs, walkPrefix } from "./local-tree.ts";
import { checkRange, resolveRange } from "./range.ts";
import type { GetOptions, GetResult, ObjectInfo, PutOptions, Storage } from "./storage.ts";

export interface LocalStorageOptions {
  /** Directory holding the objects; resolved against the working directory. */
  root: string;
  logger?: Logger;
}

const DEFAULT_CONTENT_TYPE = "application/octet-stream";
// Keys start with raw/, media/ or uploads/, so this name never collides with one.
const TEMP_DIR = ".tmp";

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function unavailable(action: string, key: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  return new StorageError("unavailable", `cannot ${action} ${key}: ${(cause as Error).message}`, { cause });
}

function toInfo(key: string, object: OpenedObject): ObjectInfo {
  return {
    key,
    size: object.size,
    etag: object.metadata.etag,
    lastModified: object.lastModified,
    contentType: object.metadata.contentType,
  };
}

/**
 * Objects as files under one directory. Writes land in a temp file that is
 * renamed into place, so readers see the old object or the new one, whole.
 */
export function createLocalStorage(options: LocalStorageOptions): Storage {
  const paths = localPaths(options.root);
  const { root } = paths;
  const tempDir = join(root, TEMP_DIR);
  const logger = options.logger ?? silentLogger();

  async function publish(key: string, temp: string, path: string): Promise<void> {
    // A concurrent delete may remove the parent between mkdir and rename: try again.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        const target = await paths.prepareFile(key, path);
        if (!target) continue;
        await rename(temp, target);
        return;
      } catch (error) {
        const code = errnoCode(error);
        if (code === "ENOENT" && attempt < 3) continue;
        if (code === "EEXIST" || code === "ENOTDIR" || code === "EISDIR") {
          throw new StorageError("invalid_key", `storage key ${JSON.stringify(key)} clashes with another object's path in the local store`, { cause: error });
        }
        throw error;
      }
    }
    throw new StorageError("unavailable", `the directory of ${key} kept disappearing while storing it`);
  }

  async function put(key: string, body: Readable | Uint8Array, putOptions?: PutOptions): Promise<ObjectInfo> {
    validateKey(key);
    const path = paths.pathOf(key);
    const contentType = putOptions?.contentType ?? DEFAULT_CONTENT_TYPE;
    const temp = join(tempDir, randomUUID());
    let written: WrittenObject | undefined;
    try {
      await mkdir(tempDir, { recursive: true });
      const source = body instanceof Uint8Array ? Readable.from([body]) : body;
      await pipeline(
        source,
        appendTrailer(contentType, (result) => (written = result)),
        createWriteStream(temp, { flags: "wx", flush: true }),
      );
      if (!written) throw new Error("object stream ended without its trailer");
      const { mtime } = await stat(temp);
      await publish(key, temp, path);
      return { key, size: written.size, etag: written.etag, lastModified: mtime, contentType };
    } catch (error) {
      await rm(temp, { force: true }).catch((cleanupError: unknown) =>
        logger.warn({ err: cleanupError, temp }, "could not remove the temp file of a failed put"),
      );
      throw unavailable("store", key, error);
    }
  }

  async function open(key: string): Promise<OpenedObject | undefined> {
    validateKey(key);
    const path = paths.pathOf(key);
    try {
      const real = await paths.realFile(key, path);
      return real ? await openObjectFile(key, real) : undefined;
    } catch (error) {
      throw unavailable("read", key, error);
    }
  }

  async function get(key: string, getOptions?: GetOptions): Promise<GetResult> {
    validateKey(key);
    if (getOptions?.range) checkRange(key, getOptions.range);
    const object = await open(key);
    if (!object) throw new StorageError("not_found", `no object at ${key}`);
    const info = toInfo(key, object);
    try {
      const range = getOptions?.range ? resolveRange(key, getOptions.range, object.size) : undefined;
      if (!range && object.size === 0) {
        await object.handle.close();
        return { info, body: Readable.from([]) };
      }
      // The stream closes the handle; the trailer after the object's bytes is never served.
      const body = object.handle.createReadStream({ start: range?.start ?? 0, end: range?.end ?? object.size - 1 });
      return range ? { info, body, range } : { info, body };
    } catch (error) {
      await object.handle.close();
      throw error;
    }
  }

  async function head(key: string): Promise<ObjectInfo | undefined> {
    const object = await open(key);
    if (!object) return undefined;
    await object.handle.close();
    return toInfo(key, object);
  }

  async function remove(key: string): Promise<void> {
    validateKey(key);
    const path = paths.pathOf(key);
    try {
      const real = await paths.realFile(key, path);
      if (!real) return;
      await unlink(real);
    } catch (error) {
      const code = errnoCode(error);
      // No file there (a directory is no object either): already deleted.
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR" || code === "EPERM") return;
      throw unavailable("delete", key, error);
    }
    await pruneEmptyDirs(root, dirname(path));
  }

  async function* list(prefix: string): AsyncGenerator<ObjectInfo> {
    validatePrefix(prefix);
    try {
      if (!(await paths.checkDir(prefix, join(root, prefixDir(prefix))))) return;
      for await (const file of walkPrefix(root, prefix)) {
        const object = await openObjectFile(file.key, file.path);
        if (!object) continue; // deleted while listing
        await object.handle.close();
        yield { key: file.key, size: object.size, etag: object.metadata.etag, lastModified: object.lastModified };
      }
    } catch (error) {
      throw unavailable("list", prefix, error);
    }
  }

  async function deleteByPrefix(prefix: string): Promise<number> {
    validatePrefix(prefix);
    let deleted = 0;
    const parents = new Set<string>();
    try {
      if (!(await paths.checkDir(prefix, join(root, prefixDir(prefix))))) return 0;
      for await (const file of walkPrefix(root, prefix)) {
        try {
          await unlink(file.path);
          deleted += 1;
          parents.add(dirname(file.path));
        } catch (error) {
          if (errnoCode(error) !== "ENOENT") throw error;
        }
      }
    } catch (error) {
      throw unavailable("delete objects under", prefix, error);
    }
    // Deepest first, so a parent is tried once its children are gone.
    for (const dir of [...parents].sort((a, b) => b.length - a.length)) await pruneEmptyDirs(root, dir);
    logger.debug({ prefix, deleted }, "deleted objects by prefix");
    return deleted;
  }

  async function ping(): Promise<void> {
    try {
      await mkdir(root, { recursive: true });
      await access(root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw unavailable("write to", root, error);
    }
  }

  return {
    driver: "local",
    put,
    get,
    head,
    delete: remove,
    list,
    deleteByPrefix,
    ping,
    close: async () => {},
  };
}
