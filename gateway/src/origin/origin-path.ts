/** What an /hls/ URL names: one file of one transcode attempt's outputs. */
export interface OriginPath {
  videoId: string;
  outputId: string;
  /** The file under `media/<videoId>/<outputId>/`, one to three path segments. */
  file: [string, ...string[]];
}

export const ORIGIN_PREFIX = "/hls/";

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const FILE_SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
const MAX_FILE_SEGMENTS = 3;

function isFileSegment(segment: string): boolean {
  return FILE_SEGMENT.test(segment) && segment !== "." && segment !== "..";
}

/**
 * Parses the raw request target strictly: no decoding, so percent-encoded
 * dots or slashes, backslashes, empty or dot segments never match and the
 * request is answered 404. The query string is ignored (players add cache
 * busters and tokens there); it never takes part in the storage key.
 */
export function parseOriginPath(url: string): OriginPath | undefined {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.startsWith(ORIGIN_PREFIX)) return undefined;
  const [videoId, outputId, ...file] = path.slice(ORIGIN_PREFIX.length).split("/");
  if (videoId === undefined || outputId === undefined || !ID.test(videoId) || !ID.test(outputId)) return undefined;
  if (file.length === 0 || file.length > MAX_FILE_SEGMENTS || !file.every(isFileSegment)) return undefined;
  return { videoId, outputId, file: file as [string, ...string[]] };
}
