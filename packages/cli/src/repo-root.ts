import { fileURLToPath } from "node:url";

/** The checkout this CLI belongs to (it lives in packages/cli/src). */
export function repoRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");
}
