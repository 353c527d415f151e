/**
 * Demuxers an upload may be opened with. Formats that reference other
 * resources (hls, dash, concat, ffconcat, image sequences, tee…) are left
 * out: a crafted "video" in one of them makes ffmpeg read other local files
 * (another user's upload) or fetch URLs from inside our network. Audio and
 * still-image demuxers stay so the verdict can say what the file is instead.
 */
const SOURCE_DEMUXERS = [
  // video containers and elementary streams
  "mov", "matroska", "avi", "flv", "mpegts", "mpeg", "mpegvideo", "asf", "ogg", "mxf", "dv", "gxf", "nut", "rm", "wtv",
  "m4v", "h264", "hevc", "ivf", "obu", "yuv4mpegpipe",
  // audio-only files, so they are told apart from non-media
  "mp3", "aac", "wav", "flac", "ac3", "eac3",
  // single pictures, likewise
  "image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif",
];

/** Input options that go before `-i <upload>` on every ffmpeg and ffprobe run over user media. */
export function untrustedInputOptions(): string[] {
  return ["-protocol_whitelist", "file", "-format_whitelist", SOURCE_DEMUXERS.join(",")];
}
