/** The widths a thumbnail is made in; with whole-second times, a video has at most 4 × its duration in seconds of them. */
export const thumbnailWidths = [160, 320, 640, 1280] as const;
export type ThumbnailWidth = (typeof thumbnailWidths)[number];

export interface ThumbnailRequest {
  width: ThumbnailWidth;
  /** Asked-for time in seconds, not yet clamped to the video's duration. */
  time: number;
}

const NUMBER = /^\d{1,6}(\.\d{1,3})?$/;

/** `?time=<seconds>&width=<one of thumbnailWidths>`: time defaults to 0, width to 640; anything else is a reason to refuse. */
export function parseThumbnailQuery(url: string): ThumbnailRequest | string {
  const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
  const rawWidth = query.get("width") ?? "640";
  const width = Number(rawWidth) as ThumbnailWidth;
  if (!/^\d+$/.test(rawWidth) || !thumbnailWidths.includes(width)) return `width must be one of ${thumbnailWidths.join(", ")}`;
  const rawTime = query.get("time") ?? "0";
  if (!NUMBER.test(rawTime)) return "time must be seconds from the start, such as 12 or 12.5";
  return { width, time: Number(rawTime) };
}

/** Whole seconds, within the video: the grid that bounds how many thumbnails one video can have. */
export function thumbnailSecond(time: number, durationSeconds: number): number {
  return Math.max(0, Math.min(Math.floor(time), Math.ceil(durationSeconds) - 1));
}
