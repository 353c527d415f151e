import { KinoError } from "@kino/platform";
import { RenditionState, type Rendition, type RenditionQuality } from "@kino/proto/catalog/v1";
import type { RenditionQualityRow, RenditionRow, RenditionStateName } from "./schema.ts";
import { renditionStateFromProto } from "./video-message.ts";

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

/** A quality report is measured from a READY rung's files; its figures must be what ffmpeg can say. */
function validateQuality(name: string, state: RenditionStateName, quality: RenditionQuality): RenditionQualityRow {
  if (state !== "READY") throw new KinoError("invalid_argument", `rendition ${name} has a quality report but is not READY`);
  const { ssim, psnrDb, framesCompared } = quality;
  if (!(ssim >= 0 && ssim <= 1) || !(psnrDb >= 0 && psnrDb <= 100) || framesCompared < 1) {
    throw new KinoError("invalid_argument", `rendition ${name}'s quality needs an SSIM in [0, 1], a PSNR in [0, 100] dB and at least one frame compared`);
  }
  return { ssim, psnrDb, framesCompared };
}

const renditionNamePattern = /^[A-Za-z0-9_-]{1,32}$/;
const maxRenditions = 16;

/**
 * A ladder as the catalog stores it. A published one (PublishRenditions)
 * names each rung's state and needs one READY rung to play; the final one
 * (MarkReady) is all READY, so a missing state means READY there.
 */
export function validateRenditions(renditions: readonly Rendition[], ladder: "published" | "final"): RenditionRow[] {
  if (renditions.length > maxRenditions) throw new KinoError("invalid_argument", `at most ${maxRenditions} renditions`);
  const names = new Set<string>();
  const rows = renditions.map((r) => {
    if (!renditionNamePattern.test(r.name) || names.has(r.name)) throw new KinoError("invalid_argument", "rendition names must be unique, 1 to 32 letters, digits, '_' or '-'");
    names.add(r.name);
    const state = r.state === RenditionState.UNSPECIFIED && ladder === "final" ? "READY" : renditionStateFromProto(r.state);
    if (state === undefined) throw new KinoError("invalid_argument", `rendition ${r.name} needs a state`);
    if (ladder === "final" && (state !== "READY" || r.passthrough)) throw new KinoError("invalid_argument", `a READY video's ladder holds encoded READY rungs only, not ${r.name}`);
    return {
      name: r.name,
      width: r.width,
      height: r.height,
      bandwidth: r.bandwidth,
      averageBandwidth: r.averageBandwidth,
      frameRate: r.frameRate,
      codecs: r.codecs,
      state,
      ...(r.passthrough ? { passthrough: true } : {}),
      ...(r.quality ? { quality: validateQuality(r.name, state, r.quality) } : {}),
    };
  });
  if (ladder === "published" && !rows.some((r) => r.state === "READY")) throw new KinoError("invalid_argument", "a published ladder needs at least one READY rendition");
  return rows;
}
