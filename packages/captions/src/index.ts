export { CaptionError } from "./caption-error.ts";
export { normaliseCaptionLanguage } from "./caption-language.ts";
export type { Cue } from "./cue.ts";
export { defaultCueLimits, type CueLimits } from "./cue-limits.ts";
export { captionPlainText, parseCaptions, type CaptionFormat, type ParsedCaptions } from "./parse-captions.ts";
export { formatWebVtt } from "./webvtt.ts";
