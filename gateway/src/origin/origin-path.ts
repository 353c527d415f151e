/**
 * What an /hls/ URL names: one file of one transcode attempt's outputs,
 * optionally through a playback token.
 */
export interface OriginPath {
  videoId: string;
  outputId: string;
  /** The token of a signed URL, as it appears in the path (unverified); undefined for a plain URL. */
  token: string | undefined;
  /** The file under `media/<videoId>/<outputId>/`, one to three path segments. */
  file: [string, ...string[]];
}

export const ORIGIN_PREFIX = "/hls/";
/** Starts the path segment that carries a token; never the start of an id or a file name. */
export const TOKEN_MARKER = "~";

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const FILE_SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
const MAX_FILE_SEGMENTS = 3;
// Far above any genuine token; what lies between is the verifier's to refuse (403), not a missing file.
const MAX_TOKEN_LENGTH = 1024;

function isFileSegment(segment: string): boolean {
  return FILE_SEGMENT.test(segment) && segment !== "." && segment !== "..";
}

/**
 * Parses the raw request target strictly: no decoding, so percent-encoded
 * dots or slashes, backslashes, empty or dot segments never match and the
 * request is answered 404. The query string is ignored (players add cache
 * busters there); it never takes part in the storage key. A signed URL has
 * `~<token>` right after the output id: `/hls/<video>/<output>/~<token>/<file>`,
 * so every relative URI inside its playlists resolves under the token too.
 */
export function parseOriginPath(url: string): OriginPath | undefined {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.startsWith(ORIGIN_PREFIX)) return undefined;
  const [videoId, outputId, ...rest] = path.slice(ORIGIN_PREFIX.length).split("/");
  if (videoId === undefined || outputId === undefined || !ID.test(videoId) || !ID.test(outputId)) return undefined;
  let token: string | undefined;
  if (rest[0]?.startsWith(TOKEN_MARKER)) {
    token = rest.shift()!.slice(TOKEN_MARKER.length);
    if (token.length > MAX_TOKEN_LENGTH) return undefined;
  }
  if (rest.length === 0 || rest.length > MAX_FILE_SEGMENTS || !rest.every(isFileSegment)) return undefined;
  return { videoId, outputId, token, file: rest as [string, ...string[]] };
}

/**
 * The signed form of an origin path such as a video's playback_path
 * (`/hls/<video>/<output>/master.m3u8` → `/hls/<video>/<output>/~<token>/master.m3u8`).
 */
export function signedOriginPath(path: string, token: string): string {
  const parsed = parseOriginPath(path);
  if (!parsed || parsed.token !== undefined || path.includes("?")) throw new Error(`not a plain origin path: ${path}`);
  return `${ORIGIN_PREFIX}${parsed.videoId}/${parsed.outputId}/${TOKEN_MARKER}${token}/${parsed.file.join("/")}`;
}
