export { BoxError } from "./boxes.ts";
export { readHlsTrack, type HlsTrack } from "./hls-track.ts";
export { MPD_NAME, renderMpd, withSubtitleSets, type DashAudioGroup, type DashManifest, type DashRepresentation, type DashSubtitle } from "./mpd.ts";
export { segmentTemplateFor, type SegmentTemplate } from "./segment-template.ts";
export { shiftSegment } from "./retime.ts";
export { readInit, readSegmentTime, type InitInfo, type SegmentTime, type TrackKind } from "./track-timing.ts";
export { readFragmentKeyframes, readTrexDefaults, type FragmentKeyframe } from "./fragment-keyframes.ts";
export { readKeyframeTrack, type KeyframeTrack, type TrackKeyframe } from "./keyframe-track.ts";
