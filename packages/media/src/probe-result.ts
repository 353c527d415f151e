/** What Kino knows about a source file once ffprobe has read it. */
export interface VideoStreamInfo {
  /** Index of the stream in the file, for `-map 0:<index>`. */
  index: number;
  codec: string;
  /** Coded size, before rotation and sample aspect ratio. */
  width: number;
  height: number;
  /** Size as a player shows it: sample aspect ratio applied, then rotation. */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise quarter turns the player applies, normalised to 0, 90, 180 or 270. */
  rotation: 0 | 90 | 180 | 270;
  /** Frames per second; undefined when the file does not say. */
  frameRate?: number;
  interlaced: boolean;
  pixFmt?: string;
  /** ffprobe's profile name ("High", "Main 10"), when it states one. */
  profile?: string;
  /** Codec level as ffprobe prints it (H.264: 40 for 4.0), when stated. */
  level?: number;
  bitRate?: number;
  /**
   * Seconds from the file's first timestamp to the picture's first frame.
   * ffmpeg's input `-ss` counts from the file's first timestamp (its
   * start_time), which audio that starts earlier pulls before the picture.
   */
  offsetSeconds: number;
  /** Length of the picture stream; 0 when neither it nor the file says. */
  durationSeconds: number;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  /** ffprobe's profile name ("LC", "HE-AAC"), when it states one. */
  profile?: string;
  channels: number;
  sampleRate: number;
  /** BCP 47-shaped language from the stream's `language` tag (`eng`), `und` when it has none or a malformed one. */
  language: string;
  /** The stream's `title` tag, when it has a short printable one. */
  title?: string;
  /** The container flags it as the default audio. */
  isDefault: boolean;
}

export interface ProbeResult {
  /** 0 when neither the container nor the stream states a duration. */
  durationSeconds: number;
  sizeBytes: number;
  /** ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  video: VideoStreamInfo;
  /** The first audio stream, when there is one. */
  audio?: AudioStreamInfo;
  /** Every audio stream, in file order; each becomes a track of the audio group. */
  audioTracks: AudioStreamInfo[];
  /**
   * The file's first timestamp in seconds (ffprobe's format start_time; 0
   * when unstated): what the offsets ffmpeg's -ss and -force_key_frames take
   * are counted from, and what to add to them to get the file's own
   * timestamps (-copyts). Absent in results made before it was read.
   */
  startSeconds?: number;
}

/** The subset of `ffprobe -print_format json -show_format -show_streams` Kino reads. */
export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  field_order?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  start_time?: string;
  duration?: string;
  bit_rate?: string;
  channels?: number;
  sample_rate?: string;
  disposition?: { attached_pic?: number; default?: number };
  tags?: { rotate?: string; language?: string; title?: string };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface FfprobeJson {
  format?: { format_name?: string; start_time?: string; duration?: string; size?: string; bit_rate?: string };
  streams?: FfprobeStream[];
}

/** "30000/1001" → 29.97; "0/0", "N/A" or garbage → undefined. */
export function parseRational(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const [num, den = "1"] = value.split(/[/:]/);
  const n = Number(num);
  const d = Number(den);
  if (!Number.isFinite(n) || !Number.isFinite(d) || n <= 0 || d <= 0) return undefined;
  return n / d;
}

function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A timestamp ffprobe printed; "N/A" (raw elementary streams) → undefined. Broadcast clocks may be negative. */
/** ffprobe's format start_time, in seconds; 0 when it is missing or unreadable. */
export function fileStartOf(json: FfprobeJson): number {
  return timestamp(json.format?.start_time) ?? 0;
}

function timestamp(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) ? n : undefined;
}

/**
 * Streams a player would show as the picture. Cover art in audio files is
 * stored as a one-frame video stream flagged attached_pic: not a video.
 */
export function pictureStreams(json: FfprobeJson): FfprobeStream[] {
  return (json.streams ?? []).filter((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
}

function rotationOf(stream: FfprobeStream): VideoStreamInfo["rotation"] {
  const fromMatrix = stream.side_data_list?.find((d) => typeof d.rotation === "number")?.rotation;
  const degrees = fromMatrix ?? Number(stream.tags?.rotate ?? 0);
  const quarter = Math.round((Number.isFinite(degrees) ? degrees : 0) / 90);
  return ((((quarter % 4) + 4) % 4) * 90) as VideoStreamInfo["rotation"];
}

// Containers that report absurd rates (1000/1, 90000/1) for variable-rate streams.
const MAX_PLAUSIBLE_FRAME_RATE = 240;

function frameRateOf(stream: FfprobeStream): number | undefined {
  for (const candidate of [stream.avg_frame_rate, stream.r_frame_rate]) {
    const rate = parseRational(candidate);
    if (rate !== undefined && rate <= MAX_PLAUSIBLE_FRAME_RATE) return rate;
  }
  return undefined;
}

const INTERLACED_FIELD_ORDERS = new Set(["tt", "bb", "tb", "bt"]);

export function toVideoStreamInfo(stream: FfprobeStream, json: FfprobeJson): VideoStreamInfo {
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  const sar = parseRational(stream.sample_aspect_ratio) ?? 1;
  const rotation = rotationOf(stream);
  const shownWidth = Math.round(width * sar);
  const quarterTurn = rotation === 90 || rotation === 270;
  return {
    index: stream.index,
    codec: stream.codec_name ?? stream.codec_tag_string ?? "unknown",
    width,
    height,
    displayWidth: quarterTurn ? height : shownWidth,
    displayHeight: quarterTurn ? shownWidth : height,
    rotation,
    frameRate: frameRateOf(stream),
    interlaced: INTERLACED_FIELD_ORDERS.has(stream.field_order ?? ""),
    pixFmt: stream.pix_fmt,
    ...(stream.profile ? { profile: stream.profile } : {}),
    ...(typeof stream.level === "number" && stream.level > 0 ? { level: stream.level } : {}),
    bitRate: positiveNumber(stream.bit_rate),
    ...pictureSpan(json, stream),
  };
}

// Tags are the uploader's text: only a well-formed language tag reaches a playlist, else "und".
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;
// A title goes into quoted playlist attributes and XML: printable, no quotes, short.
const SAFE_TITLE = /^[^"\\<>&\p{Cc}]{1,40}$/u;

export function toAudioStreamInfo(stream: FfprobeStream): AudioStreamInfo {
  const language = stream.tags?.language?.trim() ?? "";
  const title = stream.tags?.title?.trim() ?? "";
  return {
    index: stream.index,
    codec: stream.codec_name ?? stream.codec_tag_string ?? "unknown",
    ...(stream.profile ? { profile: stream.profile } : {}),
    channels: stream.channels ?? 0,
    sampleRate: Number(stream.sample_rate ?? 0),
    language: LANGUAGE_TAG.test(language) ? language.toLowerCase() : "und",
    ...(SAFE_TITLE.test(title) ? { title } : {}),
    isDefault: stream.disposition?.default === 1,
  };
}

function pictureSpan(json: FfprobeJson, stream: FfprobeStream): Pick<VideoStreamInfo, "offsetSeconds" | "durationSeconds"> {
  const fileStart = timestamp(json.format?.start_time);
  const pictureStart = timestamp(stream.start_time);
  const offsetSeconds = fileStart !== undefined && pictureStart !== undefined ? Math.max(0, pictureStart - fileStart) : 0;
  const fileDuration = positiveNumber(json.format?.duration);
  const durationSeconds = positiveNumber(stream.duration) ?? (fileDuration !== undefined ? Math.max(0, fileDuration - offsetSeconds) : 0);
  return { offsetSeconds, durationSeconds };
}

/** Duration of the file: the container's, else the picture stream's, else 0. */
export function durationOf(json: FfprobeJson, video: FfprobeStream | undefined): number {
  return positiveNumber(json.format?.duration) ?? positiveNumber(video?.duration) ?? 0;
}
