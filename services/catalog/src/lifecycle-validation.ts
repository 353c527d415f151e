import { KinoError } from "@kino/platform";

const outputIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const sourceFilePattern = /^[A-Za-z0-9._-]+$/;
const maxReasonLength = 500;

/** The source must sit under the video's own raw/ prefix: a caller cannot point a video at another's bytes. */
export function validateSourceKey(videoId: string, key: string): string {
  const prefix = `raw/${videoId}/`;
  const file = key.slice(prefix.length);
  if (!key.startsWith(prefix) || !sourceFilePattern.test(file) || file === "." || file === "..") {
    throw new KinoError("invalid_argument", `source_key must be ${prefix}<file>`);
  }
  return key;
}

export function validateOutputId(outputId: string): string {
  if (!outputIdPattern.test(outputId)) {
    throw new KinoError("invalid_argument", "output_id must be 1 to 64 letters, digits, '_' or '-'");
  }
  return outputId;
}

// A reason is often ffmpeg's last line: its colour escapes are dropped and
// other control characters become spaces, rather than refusing the failure.
const ansiEscapes = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]/g;
const controlRuns = /[\u0000-\u001f\u007f-\u009f]+/g;

export function validateFailureReason(reason: string): string {
  const trimmed = reason.replace(ansiEscapes, "").replace(controlRuns, " ").replace(/ {2,}/g, " ").trim();
  if (trimmed === "") throw new KinoError("invalid_argument", "reason must not be empty");
  return [...trimmed].length > maxReasonLength ? `${[...trimmed].slice(0, maxReasonLength - 1).join("")}…` : trimmed;
}
