/** One caption cue: times in milliseconds from the start of the video, text already sanitised. */
export interface Cue {
  startMs: number;
  endMs: number;
  /** Cue payload lines joined by "\n"; only the WebVTT tags in `cue-text.ts` survive. */
  text: string;
  /** WebVTT cue settings (position, line, align…), validated; absent for SRT. */
  settings?: string;
}
