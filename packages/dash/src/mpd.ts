import { segmentTemplateFor, type SegmentTemplate } from "./segment-template.ts";
import type { SegmentTime } from "./track-timing.ts";

/** One CMAF track file set, as the HLS media playlist lists it; URIs relative to the MPD. */
export interface DashRepresentation {
  id: string;
  bandwidth: number;
  /** RFC 6381, as in the HLS master's CODECS. */
  codecs: string;
  initUri: string;
  segmentUris: readonly string[];
  timescale: number;
  segments: readonly SegmentTime[];
  width?: number;
  height?: number;
  frameRate?: number;
  audioSamplingRate?: number;
  channels?: number;
}

export interface DashAudioGroup {
  /** BCP 47; empty when unknown. */
  language: string;
  label: string;
  isDefault: boolean;
  representations: readonly DashRepresentation[];
}

export interface DashSubtitle {
  language: string;
  label: string;
  /** A WebVTT file relative to the MPD. */
  uri: string;
}

export interface DashManifest {
  durationSeconds: number;
  video: readonly DashRepresentation[];
  audio: readonly DashAudioGroup[];
  subtitles?: readonly DashSubtitle[];
}

export const MPD_NAME = "manifest.mpd";

const escape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([name, value]) => ` ${name}="${escape(String(value))}"`)
    .join("");
}

/** SegmentTimeline runs: `t` where the timeline starts or jumps, `r` for repeats of one duration. */
function timeline(segments: readonly SegmentTime[]): string {
  const out: string[] = [];
  let expected: number | undefined;
  for (let i = 0; i < segments.length; ) {
    const { start, duration } = segments[i]!;
    let repeats = 0;
    while (i + repeats + 1 < segments.length && segments[i + repeats + 1]!.duration === duration && segments[i + repeats + 1]!.start === start + (repeats + 1) * duration) repeats++;
    out.push(`<S${attributes({ t: start === expected ? undefined : start, d: duration, r: repeats || undefined })}/>`);
    expected = start + (repeats + 1) * duration;
    i += repeats + 1;
  }
  return out.join("");
}

/** A template when the files follow one numbered pattern (the usual HLS muxer names), else the list of their names. */
function segmentIndex(r: DashRepresentation, indent: string): string[] {
  const first = r.segments[0]?.start ?? 0;
  const timing = { timescale: r.timescale, presentationTimeOffset: first || undefined };
  let template: SegmentTemplate | undefined;
  try {
    template = segmentTemplateFor(r.segmentUris);
  } catch {
    // Names no template reproduces (a chunked video's segments carry their range attempt's id): listed one by one.
    template = undefined;
  }
  if (template) {
    return [
      `${indent}  <SegmentTemplate${attributes({ ...timing, initialization: r.initUri, media: template.media, startNumber: template.startNumber })}>`,
      `${indent}    <SegmentTimeline>${timeline(r.segments)}</SegmentTimeline>`,
      `${indent}  </SegmentTemplate>`,
    ];
  }
  return [
    `${indent}  <SegmentList${attributes(timing)}>`,
    `${indent}    <Initialization${attributes({ sourceURL: r.initUri })}/>`,
    `${indent}    <SegmentTimeline>${timeline(r.segments)}</SegmentTimeline>`,
    ...r.segmentUris.map((uri) => `${indent}    <SegmentURL${attributes({ media: uri })}/>`),
    `${indent}  </SegmentList>`,
  ];
}

function representation(r: DashRepresentation, indent: string): string {
  if (r.segments.length !== r.segmentUris.length) throw new Error(`representation ${r.id}: ${r.segmentUris.length} segment files but ${r.segments.length} timings`);
  if (r.segmentUris.some((uri) => /[$]/.test(uri))) throw new Error("segment names may not contain $");
  return [
    `${indent}<Representation${attributes({ id: r.id, bandwidth: r.bandwidth, codecs: r.codecs, width: r.width, height: r.height, frameRate: r.frameRate === undefined ? undefined : frameRate(r.frameRate), audioSamplingRate: r.audioSamplingRate })}>`,
    ...(r.channels ? [`${indent}  <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="${r.channels}"/>`] : []),
    ...segmentIndex(r, indent),
    `${indent}</Representation>`,
  ].join("\n");
}

/** 29.97 is written as DASH wants it, a fraction. */
function frameRate(rate: number): string {
  for (const [n, d] of [
    [24000, 1001],
    [30000, 1001],
    [60000, 1001],
  ] as const) {
    if (Math.abs(rate - n / d) < 0.001) return `${n}/${d}`;
  }
  return Number.isInteger(rate) ? String(rate) : String(Math.round(rate * 1000) / 1000);
}

/** A sidecar WebVTT track: one text adaptation set, played by Shaka and dashjs without segmenting. */
function subtitleSet(subtitle: DashSubtitle, id: number): string {
  return [
    `    <AdaptationSet${attributes({ id, contentType: "text", mimeType: "text/vtt", lang: subtitle.language })}>`,
    `      <Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>`,
    ...(subtitle.label ? [`      <Label>${escape(subtitle.label)}</Label>`] : []),
    `      <Representation${attributes({ id: `text-${subtitle.language}`, bandwidth: 256 })}><BaseURL>${escape(subtitle.uri)}</BaseURL></Representation>`,
    "    </AdaptationSet>",
  ].join("\n");
}

/**
 * A stored MPD with subtitle sets added at the end of its period, numbered
 * after the sets it has. Captions change after packaging, so the origin adds
 * them as it serves the manifest, as it does for the HLS master.
 */
export function withSubtitleSets(mpd: string, subtitles: readonly DashSubtitle[]): string {
  if (subtitles.length === 0) return mpd;
  const end = mpd.lastIndexOf("  </Period>");
  if (end < 0) throw new Error("an MPD without a period end cannot take subtitle sets");
  const taken = [...mpd.matchAll(/<AdaptationSet\b[^>]*\bid="(\d+)"/g)].map((m) => Number(m[1]));
  let id = taken.length === 0 ? 0 : Math.max(...taken) + 1;
  const sets = subtitles.map((subtitle) => `${subtitleSet(subtitle, id++)}\n`).join("");
  return `${mpd.slice(0, end)}${sets}${mpd.slice(end)}`;
}

/**
 * A static (on-demand) MPD over the CMAF files of the HLS package: one video
 * adaptation set, one per audio track, one per subtitle language. Nothing is
 * copied; every URI is one the HLS playlists already name.
 */
export function renderMpd(manifest: DashManifest): string {
  if (manifest.video.length === 0) throw new Error("an MPD needs at least one video representation");
  const duration = `PT${manifest.durationSeconds.toFixed(3)}S`;
  const sets: string[] = [];
  let id = 0;
  sets.push(
    [
      `    <AdaptationSet${attributes({ id: id++, contentType: "video", mimeType: "video/mp4", segmentAlignment: "true", startWithSAP: 1 })}>`,
      ...manifest.video.map((r) => representation(r, "      ")),
      "    </AdaptationSet>",
    ].join("\n"),
  );
  for (const group of manifest.audio) {
    sets.push(
      [
        `    <AdaptationSet${attributes({ id: id++, contentType: "audio", mimeType: "audio/mp4", lang: group.language, segmentAlignment: "true", startWithSAP: 1 })}>`,
        `      <Role schemeIdUri="urn:mpeg:dash:role:2011" value="${group.isDefault ? "main" : "alternate"}"/>`,
        ...(group.label ? [`      <Label>${escape(group.label)}</Label>`] : []),
        ...group.representations.map((r) => representation(r, "      ")),
        "    </AdaptationSet>",
      ].join("\n"),
    );
  }
  for (const subtitle of manifest.subtitles ?? []) sets.push(subtitleSet(subtitle, id++));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019" type="static" mediaPresentationDuration="${duration}" minBufferTime="PT2S">`,
    `  <Period id="0" start="PT0S" duration="${duration}">`,
    ...sets,
    "  </Period>",
    "</MPD>",
    "",
  ].join("\n");
}
