// Lines ffmpeg prints after the real error, saying only that something failed.
const GENERIC_LINES: readonly RegExp[] = [
  /^conversion failed!?$/i,
  /^error initializing complex filters\.?$/i,
  // "… -- Error while opening encoder … maybe incorrect parameters": the encoder said why on the line before.
  /^error initializing output stream [\d:]+ --.*$/i,
  /^error initializing filter ?graph.*$/i,
  /^exiting normally.*$/i,
  // A bare errno string repeats the cause given on the line before.
  /^(invalid argument|operation not permitted|input\/output error|no such file or directory|cannot allocate memory|immediate exit requested|end of file)$/i,
];

/** ffmpeg prefixes component messages with "[mov,mp4 @ 0x55d…] "; the address is noise. */
function stripComponentPrefix(line: string): string {
  return line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, "").trim();
}

/**
 * The stderr line that says what actually went wrong: the last one that is
 * not blank and not one of ffmpeg's generic trailers.
 */
export function failureReason(stderrLines: readonly string[]): string | undefined {
  for (let i = stderrLines.length - 1; i >= 0; i--) {
    const line = stripComponentPrefix(stderrLines[i] ?? "");
    if (line && !GENERIC_LINES.some((pattern) => pattern.test(line))) return line;
  }
  return undefined;
}
