import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { KinoError } from "@kino/platform";
import { withFileLock } from "./file-lock.ts";

/** One signed-in session, as the CLI keeps it for one gateway. */
export interface StoredSession {
  userId: string;
  /** As typed at sign-in, for messages; the user id is what counts. */
  email?: string;
  accessToken: string;
  /** ISO 8601. */
  accessTokenExpireTime: string;
  refreshToken: string;
  /** ISO 8601, when the auth service said. */
  refreshTokenExpireTime?: string;
}

interface CredentialsFile {
  version: 1;
  /** Keyed by gateway URL (see gatewayKey). */
  gateways: Record<string, StoredSession>;
}

export interface CredentialsStore {
  readonly path: string;
  get(gatewayUrl: string): Promise<StoredSession | undefined>;
  put(gatewayUrl: string, session: StoredSession): Promise<void>;
  /** Whether there was one. */
  delete(gatewayUrl: string): Promise<boolean>;
  /**
   * Runs `fn` on the session while no other kino process changes it, and
   * saves what `fn` returns (a session, or null to delete it; undefined
   * leaves it as it is). Reads the file under the lock, so a refresh made
   * meanwhile by another process is seen.
   */
  update<T>(gatewayUrl: string, fn: (current: StoredSession | undefined) => Promise<{ session?: StoredSession | null; result: T }>): Promise<T>;
}

/** The key for a gateway: scheme, lower-case host and port, path without trailing slashes. */
export function gatewayKey(gatewayUrl: string): string {
  const url = new URL(gatewayUrl);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

function isSession(value: unknown): value is StoredSession {
  const s = value as StoredSession;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.userId === "string" &&
    typeof s.accessToken === "string" &&
    typeof s.accessTokenExpireTime === "string" &&
    typeof s.refreshToken === "string"
  );
}

/**
 * credentials.json: readable and writable by its owner only (0600, in a 0700
 * directory), replaced whole by rename so a crash never leaves half a file.
 */
export function createCredentialsStore(path: string): CredentialsStore {
  const dir = dirname(path);
  const lockPath = join(dir, `.${basename(path)}.lock`);

  async function ensureDir(): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  }

  async function read(): Promise<CredentialsFile> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, gateways: {} };
      throw error;
    }
    let parsed: CredentialsFile;
    try {
      parsed = JSON.parse(text) as CredentialsFile;
    } catch (error) {
      throw new KinoError("failed_precondition", `${path} is not valid JSON: delete it and run kino login again`, { cause: error });
    }
    const gateways: Record<string, StoredSession> = {};
    for (const [key, session] of Object.entries(parsed?.gateways ?? {})) if (isSession(session)) gateways[key] = session;
    return { version: 1, gateways };
  }

  async function write(file: CredentialsFile): Promise<void> {
    await ensureDir();
    if (Object.keys(file.gateways).length === 0) {
      await rm(path, { force: true });
      return;
    }
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      await chmod(temp, 0o600);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async function locked<T>(fn: () => Promise<T>): Promise<T> {
    await ensureDir();
    return withFileLock(lockPath, fn);
  }

  return {
    path,
    async get(gatewayUrl) {
      return (await read()).gateways[gatewayKey(gatewayUrl)];
    },
    put(gatewayUrl, session) {
      return locked(async () => {
        const file = await read();
        file.gateways[gatewayKey(gatewayUrl)] = session;
        await write(file);
      });
    },
    delete(gatewayUrl) {
      return locked(async () => {
        const file = await read();
        const key = gatewayKey(gatewayUrl);
        if (!file.gateways[key]) return false;
        delete file.gateways[key];
        await write(file);
        return true;
      });
    },
    update(gatewayUrl, fn) {
      return locked(async () => {
        const file = await read();
        const key = gatewayKey(gatewayUrl);
        const { session, result } = await fn(file.gateways[key]);
        if (session === null) {
          delete file.gateways[key];
          await write(file);
        } else if (session) {
          file.gateways[key] = session;
          await write(file);
        }
        return result;
      });
    },
  };
}
