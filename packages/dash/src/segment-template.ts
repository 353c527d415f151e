/**
 * The `media` template that names exactly the given segment files
 * (`720p/seg_00001.m4s` … → `720p/seg_$Number%05d$.m4s`, startNumber 1), so
 * the MPD points at the very files the HLS playlists list. Segment names
 * that no template reproduces are refused (the MPD then lists them in a
 * SegmentList): a second copy is what this package exists to avoid.
 */
export interface SegmentTemplate {
  media: string;
  startNumber: number;
}

const numbered = /^(.*\D|)(\d+)(\.[^/]*|)$/;

export function segmentTemplateFor(uris: readonly string[]): SegmentTemplate {
  const first = uris[0] === undefined ? null : numbered.exec(uris[0]);
  if (!first) throw new Error(`segment names must end in a number before their extension (got ${JSON.stringify(uris[0] ?? "")})`);
  const [, prefix, digits, suffix] = first as unknown as [string, string, string, string];
  const padded = digits.length > 1 && digits.startsWith("0");
  const width = padded ? digits.length : 0;
  const startNumber = Number(digits);
  const format = (n: number) => `${prefix}${width ? String(n).padStart(width, "0") : String(n)}${suffix}`;
  uris.forEach((uri, i) => {
    if (uri !== format(startNumber + i)) throw new Error(`segment ${i} is ${JSON.stringify(uri)}, not ${JSON.stringify(format(startNumber + i))}: the names do not follow one numbered pattern`);
  });
  if (/[$]/.test(prefix + suffix)) throw new Error("segment names may not contain $");
  return { media: `${prefix}$Number${width ? `%0${width}d` : ""}$${suffix}`, startNumber };
}
