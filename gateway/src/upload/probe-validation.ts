import { inspectSource } from "@kino/media";
import type { ValidateSource } from "./source-validation.ts";

/** The real validation: ffprobe's verdict, with reasons a person understands. */
export const probeValidation: ValidateSource = async (path) => {
  const verdict = await inspectSource(path);
  if (!verdict.ok) return { ok: false, reason: verdict.reason };
  const { probe } = verdict;
  return {
    ok: true,
    source: {
      durationSeconds: probe.durationSeconds,
      width: probe.video.displayWidth,
      height: probe.video.displayHeight,
      frameRate: probe.video.frameRate ?? 0,
      hasAudio: probe.audio !== undefined,
      sizeBytes: BigInt(probe.sizeBytes),
      videoCodec: probe.video.codec,
    },
  };
};
