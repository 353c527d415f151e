import assert from "node:assert/strict";

export interface StoryboardCue {
  start: number;
  end: number;
  /** The sheet, as the cue names it (before `#xywh=`). */
  sheet: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function seconds(stamp: string): number {
  const match = /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$/.exec(stamp);
  assert.ok(match, `not a WebVTT timestamp: ${stamp}`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]) + Number(match[4]) / 1000;
}

/** Every cue of a WebVTT thumbnails track, each `<sheet>#xywh=x,y,w,h`. */
export function parseStoryboard(vtt: string): StoryboardCue[] {
  const blocks = vtt.replace(/\r\n/g, "\n").trim().split(/\n\n+/);
  assert.match(blocks[0] ?? "", /^WEBVTT/, "a WebVTT file starts WEBVTT");
  return blocks.slice(1).map((block) => {
    const lines = block.split("\n");
    const timing = lines.findIndex((l) => l.includes("-->"));
    const [start, end] = lines[timing]!.split("-->").map((s) => s.trim().split(/\s+/)[0]!);
    const payload = lines[timing + 1] ?? "";
    const match = /^([^#\s]+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(payload);
    assert.ok(match, `cue payload is not <sheet>#xywh=x,y,w,h: ${payload}`);
    return { start: seconds(start!), end: seconds(end!), sheet: match[1]!, x: Number(match[2]), y: Number(match[3]), w: Number(match[4]), h: Number(match[5]) };
  });
}

/**
 * Asserts that the cues cover [0, duration] with no gap and no overlap
 * (to the millisecond WebVTT writes), and that each tile lies inside its
 * sheet, as `sheetSize` reads it from the image itself.
 */
export async function assertStoryboard(vtt: string, durationSeconds: number, sheetSize: (sheet: string) => Promise<{ width: number; height: number }>): Promise<StoryboardCue[]> {
  const cues = parseStoryboard(vtt);
  assert.ok(cues.length > 0, "a storyboard has cues");
  assert.equal(cues[0]!.start, 0, "the first cue starts at 0");
  cues.forEach((cue, i) => {
    assert.ok(cue.end > cue.start, `cue ${i} is empty: ${cue.start} --> ${cue.end}`);
    if (i > 0) assert.equal(cue.start, cues[i - 1]!.end, `gap or overlap before cue ${i}`);
  });
  assert.ok(Math.abs(cues.at(-1)!.end - durationSeconds) <= 0.001, `the last cue ends at ${cues.at(-1)!.end}, the video at ${durationSeconds}`);
  const sizes = new Map<string, { width: number; height: number }>();
  for (const cue of cues) {
    if (!sizes.has(cue.sheet)) sizes.set(cue.sheet, await sheetSize(cue.sheet));
    const sheet = sizes.get(cue.sheet)!;
    assert.ok(cue.w > 0 && cue.h > 0 && cue.x + cue.w <= sheet.width && cue.y + cue.h <= sheet.height, `tile ${cue.x},${cue.y},${cue.w},${cue.h} outside ${cue.sheet} (${sheet.width}x${sheet.height})`);
  }
  return cues;
}

/** The frames of an animated WebP (its ANMF chunks); 0 for a still or anything else. */
export function webpAnimationFrames(data: Buffer): number {
  if (data.length < 12 || data.toString("latin1", 0, 4) !== "RIFF" || data.toString("latin1", 8, 12) !== "WEBP") return 0;
  let frames = 0;
  for (let at = 12; at + 8 <= data.length; ) {
    const size = data.readUInt32LE(at + 4);
    if (data.toString("latin1", at, at + 4) === "ANMF") frames++;
    at += 8 + size + (size % 2);
  }
  return frames;
}
