import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CaughtMail } from "@kino/testkit";

/** What `kino up`'s local inbox keeps of a message, one JSON file each. */
export interface InboxMail {
  receivedAt: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
}

export function inboxDir(dataDir: string): string {
  return join(dataDir, "mail");
}

/** Files sort in arrival order: a zero-padded time and a counter. */
let counter = 0;
export async function keepMail(dir: string, mail: CaughtMail, now = new Date()): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  counter += 1;
  const name = `${now.getTime().toString().padStart(15, "0")}-${counter.toString().padStart(6, "0")}.json`;
  const kept: InboxMail = { receivedAt: now.toISOString(), to: mail.to, from: mail.from, subject: mail.subject, text: mail.text };
  // Codes and reset links are credentials: only the owner of the data dir reads them.
  await writeFile(join(dir, name), `${JSON.stringify(kept)}\n`, { mode: 0o600 });
}

/** The newest `limit` messages, newest last; none when the inbox does not exist yet. */
export async function readInbox(dir: string, limit: number): Promise<InboxMail[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const newest = names.slice(-limit);
  return Promise.all(newest.map(async (name) => JSON.parse(await readFile(join(dir, name), "utf8")) as InboxMail));
}
