import { formatBytes } from "../../ui/format.ts";

// Containers ffprobe reads that browsers often report without a video/* type.
const videoExtensions = new Set(["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "mts", "m2ts", "3gp", "flv", "wmv", "ogv"]);

const extensionOf = (name: string) => name.slice(name.lastIndexOf(".") + 1).toLowerCase();

/**
 * Refuses what cannot be a video or cannot fit before any byte moves. The
 * server has the last word (ffprobe): a text file named .mp4 passes here and
 * is refused there, with its reason shown.
 */
export function checkFile(file: File, maxUploadBytes: number): string | undefined {
  if (file.size === 0) return `${file.name} is empty.`;
  // The browser's type comes from the file name; an unknown one is empty or octet-stream.
  const looksLikeVideo = file.type.startsWith("video/") || (videoExtensions.has(extensionOf(file.name)) && !/^(text|image|audio)\//.test(file.type));
  if (!looksLikeVideo) return `${file.name} is not a video file${file.type ? ` (${file.type})` : ""}.`;
  if (maxUploadBytes > 0 && file.size > maxUploadBytes) {
    return `${file.name} is ${formatBytes(file.size)}; your plan takes files up to ${formatBytes(maxUploadBytes)}.`;
  }
  return undefined;
}

export function titleFromFileName(name: string): string {
  const dot = name.lastIndexOf(".");
  const base = (dot > 0 ? name.slice(0, dot) : name).replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return (base || "Untitled").slice(0, 200);
}
