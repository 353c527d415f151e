import { readFile } from "node:fs/promises";

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

/**
 * The RFC 6381 codec string ("avc1.64001f") of the H.264 track in an fMP4
 * init segment, read from its avcC box: profile_idc, constraint flags and
 * level_idc exactly as the encoder wrote them.
 */
export async function readAvcCodecString(initSegmentPath: string): Promise<string> {
  const data = await readFile(initSegmentPath);
  const box = data.indexOf("avcC", 0, "latin1");
  // Box type, then configurationVersion (always 1), profile, compatibility, level.
  if (box < 4 || box + 8 > data.length || data[box + 4] !== 1) {
    throw new Error(`${initSegmentPath} holds no H.264 configuration (avcC box)`);
  }
  return `avc1.${hex(data[box + 5]!)}${hex(data[box + 6]!)}${hex(data[box + 7]!)}`;
}
