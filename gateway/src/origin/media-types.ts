/** How one kind of output file is served. */
export interface MediaType {
  contentType: string;
  /** Playlists get a short lifetime; everything else of an attempt never changes. */
  kind: "playlist" | "immutable";
}

const TYPES: Record<string, MediaType> = {
  m3u8: { contentType: "application/vnd.apple.mpegurl", kind: "playlist" },
  // The DASH manifest is rewritten with the master, so it is cached like one.
  mpd: { contentType: "application/dash+xml", kind: "playlist" },
  m4s: { contentType: "video/iso.segment", kind: "immutable" },
  mp4: { contentType: "video/mp4", kind: "immutable" },
  ts: { contentType: "video/mp2t", kind: "immutable" },
  jpg: { contentType: "image/jpeg", kind: "immutable" },
  // The animated preview.
  webp: { contentType: "image/webp", kind: "immutable" },
  vtt: { contentType: "text/vtt; charset=utf-8", kind: "immutable" },
};

/** The media type of an output file by its extension; undefined for anything the origin does not serve. */
export function mediaTypeOf(fileName: string): MediaType | undefined {
  const dot = fileName.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const extension = fileName.slice(dot + 1);
  return Object.hasOwn(TYPES, extension) ? TYPES[extension] : undefined;
}
