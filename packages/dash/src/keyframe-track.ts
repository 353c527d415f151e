import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { readFragmentKeyframes, readTrexDefaults, type FragmentKeyframe } from "./fragment-keyframes.ts";
import { readHlsTrack } from "./hls-track.ts";

/** A keyframe of a rendition, where it lies: a byte range of one of its segment files. */
export interface TrackKeyframe extends FragmentKeyframe {
  /** The segment file, relative to the package root like HlsTrack's URIs. */
  uri: string;
}

export interface KeyframeTrack {
  /** Relative to the package root. */
  initUri: string;
  timescale: number;
  /** Where the track's last segment ends, in its timescale. */
  endTime: number;
  keyframes: TrackKeyframe[];
}

/**
 * The keyframes of a rendition that a player can fetch one by one (those
 * that start a fragment; see readFragmentKeyframes), from the very files
 * its media playlist lists: what an HLS I-frame playlist points into.
 */
export async function readKeyframeTrack(packageDir: string, playlist: string): Promise<KeyframeTrack> {
  const track = await readHlsTrack(packageDir, playlist);
  const trex = readTrexDefaults(await readFile(posix.join(packageDir, track.initUri)), track.init.trackId);
  const keyframes: TrackKeyframe[] = [];
  for (const uri of track.segmentUris) {
    for (const k of readFragmentKeyframes(await readFile(posix.join(packageDir, uri)), track.init, trex)) keyframes.push({ ...k, uri });
  }
  const last = track.segments.at(-1)!;
  return { initUri: track.initUri, timescale: track.init.timescale, endTime: last.start + last.duration, keyframes };
}
