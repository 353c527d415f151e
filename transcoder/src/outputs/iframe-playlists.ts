import { writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { readKeyframeTrack } from "@kino/dash";
import { iFrameBandwidth, IFRAME_PLAYLIST_NAME, renderIFramePlaylist, type FinishedRendition, type IFrameEntry, type IFrameVariant } from "@kino/media";

/** A rung's I-frame playlist written beside its media playlist, and its line in the master. */
export interface WrittenIFrames {
  /** Relative to the package directory: `<rung>/iframes.m3u8`. */
  file: string;
  variant: IFrameVariant;
}

/**
 * Writes `<rung>/iframes.m3u8`: one byte range per keyframe that starts a
 * fragment of the rung's own segment files (moof, mdat header, the
 * keyframe), read from their boxes, each lasting until the next keyframe.
 * Nothing is copied; the ranges point into the files the media playlist
 * lists, so it is right for a passthrough rung as for an encoded one.
 */
export async function writeIFramePlaylist(outDir: string, rung: FinishedRendition): Promise<WrittenIFrames> {
  const track = await readKeyframeTrack(outDir, rung.playlist);
  const dir = posix.dirname(rung.playlist);
  const entries: IFrameEntry[] = track.keyframes.map((k, i) => ({
    uri: posix.relative(dir, k.uri),
    offset: k.offset,
    length: k.length,
    durationSeconds: ((track.keyframes[i + 1]?.decodeTime ?? track.endTime) - k.decodeTime) / track.timescale,
  }));
  const file = posix.join(dir, IFRAME_PLAYLIST_NAME);
  await writeFile(join(outDir, file), renderIFramePlaylist(posix.relative(dir, track.initUri), entries));
  return {
    file,
    variant: { uri: file, bandwidth: iFrameBandwidth(entries), width: rung.rendition.width, height: rung.rendition.height, codecs: rung.video.codecs },
  };
}
