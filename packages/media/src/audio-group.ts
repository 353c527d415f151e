import type { AudioStreamInfo } from "./probe-result.ts";
import { MEDIA_PLAYLIST_NAME, readBackTrack } from "./read-back-track.ts";

/** The one audio rendition group every video variant shares (`AUDIO="aud"`). */
export const AUDIO_GROUP_ID = "aud";
/** ffmpeg's aac encoder writes AAC-LC: object type 2. */
export const AAC_LC_CODEC = "mp4a.40.2";

/** How each audio track is encoded when it is encoded: once, for every video rung. */
const STANDARD_AUDIO = { codec: "aac", bitrate: 128_000, channels: 2, sampleRate: 48_000 } as const;

/** One source audio stream as a track of the audio group. */
export interface AudioPlan {
  /** The track's folder under `audio/`: its language, made unique; never the uploader's free text. */
  name: string;
  /** Source audio stream (`0:<index>`). */
  streamIndex: number;
  /** BCP 47-shaped (`eng`), `und` when unknown. */
  language: string;
  /** What a player shows (HLS NAME, DASH Label); unique in the group. */
  label: string;
  /** The one track with DEFAULT=YES: the first flagged default, else the first. */
  isDefault: boolean;
  codec: "aac";
  bitrate: number;
  channels: number;
  sampleRate: number;
}

/** A track as read back from its files: what the master and the MPD say of it. */
export interface AudioRendition {
  name: string;
  language: string;
  label: string;
  isDefault: boolean;
  /** RFC 6381, e.g. `mp4a.40.2`. */
  codecs: string;
  bandwidth: number;
  averageBandwidth: number;
  channels: number;
  sampleRate: number;
}

export interface FinishedAudioTrack {
  rendition: AudioRendition;
  /** Relative to the package: `audio/<name>/index.m3u8`. */
  playlist: string;
  /** Playlist, init segment and media segments, relative to the package. */
  files: string[];
  /** Of the media segments, in order. */
  segmentDurations: number[];
}

/** `audio/<name>`: where a track's files lie in the package. */
export function audioTrackDir(name: string): string {
  return `audio/${name}`;
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

function labelOf(stream: AudioStreamInfo, position: number): string {
  if (stream.title) return stream.title;
  if (stream.language === "und") return `Audio ${position + 1}`;
  try {
    return languageNames.of(stream.language) ?? stream.language;
  } catch {
    return stream.language;
  }
}

function unique(wanted: string, taken: Set<string>, separator: string): string {
  let candidate = wanted;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${wanted}${separator}${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The audio group a source gets: every audio stream a track, in file order, with one default. */
export function planAudioTracks(streams: readonly AudioStreamInfo[]): AudioPlan[] {
  const defaultIndex = Math.max(0, streams.findIndex((s) => s.isDefault));
  const names = new Set<string>();
  const labels = new Set<string>();
  return streams.map((stream, i) => ({
    // The primary subtag only, letters only: a safe folder and storage key segment.
    name: unique(stream.language.split("-")[0]!.replace(/[^a-z]/g, "") || "und", names, "-"),
    streamIndex: stream.index,
    language: stream.language,
    label: unique(labelOf(stream, i), labels, " "),
    isDefault: i === defaultIndex,
    ...STANDARD_AUDIO,
  }));
}

/**
 * Reads back one audio track ffmpeg wrote to `<outDir>/audio/<name>/`.
 * `written` is what went in: AAC-LC when encoded, the source's own profile when copied.
 */
export async function finishAudioTrack(outDir: string, track: AudioPlan, written: { codecs: string; channels: number; sampleRate: number }): Promise<FinishedAudioTrack> {
  const dir = audioTrackDir(track.name);
  const read = await readBackTrack(outDir, dir);
  return {
    rendition: { name: track.name, language: track.language, label: track.label, isDefault: track.isDefault, codecs: written.codecs, channels: written.channels, sampleRate: written.sampleRate, bandwidth: read.bandwidth, averageBandwidth: read.averageBandwidth },
    playlist: `${dir}/${MEDIA_PLAYLIST_NAME}`,
    files: read.files,
    segmentDurations: read.segmentDurations,
  };
}

/** What a video variant adds for the group it points at: every codec a track uses, and the costliest track's bit rates. */
export interface AudioGroupSummary {
  codecs: string;
  bandwidth: number;
  averageBandwidth: number;
}

export function summariseAudioGroup(tracks: readonly AudioRendition[]): AudioGroupSummary | undefined {
  if (tracks.length === 0) return undefined;
  return {
    codecs: [...new Set(tracks.map((t) => t.codecs))].join(","),
    bandwidth: Math.max(...tracks.map((t) => t.bandwidth)),
    averageBandwidth: Math.max(...tracks.map((t) => t.averageBandwidth)),
  };
}
