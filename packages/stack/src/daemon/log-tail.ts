import { readFile } from "node:fs/promises";

/** The last `lines` lines of a log file, or a note when it cannot be read. */
export async function tailLog(path: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch (error) {
    return `(no log at ${path}: ${(error as Error).message})`;
  }
}
