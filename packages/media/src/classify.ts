import type { ProbeOutcome } from "./ffprobe.ts";
import { durationOf, fileStartOf, pictureStreams, toAudioStreamInfo, toVideoStreamInfo, type FfprobeJson, type FfprobeStream, type ProbeResult } from "./probe-result.ts";

/** Stable names for why a source was refused; `reason` is the human text. */
export type RejectionCode = "empty" | "not_video" | "truncated" | "no_video_stream" | "still_image" | "unsupported_codec" | "undecodable";

export type SourceVerdict = { ok: true; probe: ProbeResult } | { ok: false; rejection: RejectionCode; reason: string };

const IMAGE_CODECS = new Set(["mjpeg", "png", "apng", "webp", "bmp", "gif", "tiff", "jpeg2000", "jpegls", "ppm", "pgm", "pbm", "pam", "qoi", "exr", "dpx", "targa", "sgi", "pcx", "xbm", "xwd", "photocd", "psd", "hdr"]);

// ffmpeg's demuxers for single pictures: "image2" and the "<codec>_pipe" family.
function isImageContainer(formatName: string): boolean {
  return formatName.split(",").some((name) => name === "image2" || name.endsWith("_pipe"));
}

function isStillImage(json: FfprobeJson, stream: FfprobeStream): boolean {
  if (!IMAGE_CODECS.has(stream.codec_name ?? "")) return false;
  const frames = Number(stream.nb_frames);
  // An animated GIF or a Motion-JPEG AVI has many frames and a duration: a video.
  return isImageContainer(json.format?.format_name ?? "") || frames === 1 || durationOf(json, stream) === 0;
}

function reject(rejection: RejectionCode, reason: string): SourceVerdict {
  return { ok: false, rejection, reason };
}

/**
 * One verdict for every caller: the upload path refuses what the transcoder
 * would fail on, with the same words.
 */
export function classifySource(outcome: ProbeOutcome): SourceVerdict {
  if (outcome.kind === "empty") return reject("empty", "file is empty");
  if (outcome.kind === "unreadable") {
    // An MP4 whose header parses but whose index (moov) is absent was cut short,
    // typically an interrupted copy; anything else ffprobe cannot read is not media.
    if (outcome.startsLikeMp4 && /moov atom not found/i.test(outcome.stderr)) {
      return reject("truncated", "file is truncated: the MP4 index (moov) is missing, the upload or export was probably cut short");
    }
    return reject("not_video", "not a video file");
  }
  const { json } = outcome;
  const picture = pictureStreams(json)[0];
  if (!picture) return reject("no_video_stream", (json.streams ?? []).some((s) => s.codec_type === "audio") ? "no video stream (the file holds audio only)" : "no video stream");
  if (isStillImage(json, picture)) return reject("still_image", "a still image is not a video");
  if (!picture.codec_name || picture.codec_name === "none" || /decoder .*not found/i.test(outcome.decodeError ?? "")) {
    return reject("unsupported_codec", `unsupported codec ${picture.codec_name && picture.codec_name !== "none" ? picture.codec_name : (picture.codec_tag_string ?? "unknown")}`);
  }
  if (outcome.decodeError !== undefined) return reject("undecodable", `the video stream cannot be decoded: ${outcome.decodeError}`);
  const video = toVideoStreamInfo(picture, json);
  if (video.width <= 0 || video.height <= 0) return reject("undecodable", "the video stream has no picture size");
  const audioTracks = (json.streams ?? []).filter((s) => s.codec_type === "audio").map(toAudioStreamInfo);
  return {
    ok: true,
    probe: {
      durationSeconds: durationOf(json, picture),
      sizeBytes: outcome.sizeBytes,
      container: json.format?.format_name ?? "unknown",
      video,
      ...(audioTracks[0] ? { audio: audioTracks[0] } : {}),
      audioTracks,
      startSeconds: fileStartOf(json),
    },
  };
}
