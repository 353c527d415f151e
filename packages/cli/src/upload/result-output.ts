import type { UploadResult } from "./upload-file.ts";

/** The one JSON object `kino upload --json` prints. */
export function resultJson(result: UploadResult, gatewayUrl: string): string {
  const video = result.video;
  return JSON.stringify({
    videoId: result.videoId,
    status: result.status,
    reason: result.reason,
    playbackUrl: video?.playbackPath ? `${gatewayUrl}${video.playbackPath}` : "",
    posterUrl: video?.posterPath ? `${gatewayUrl}${video.posterPath}` : "",
    durationSeconds: video?.durationSeconds ?? 0,
    renditions: (video?.renditions ?? []).map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      bandwidth: r.bandwidth,
      // The transcoder's quality report, when the rung has one.
      ...(r.quality ? { quality: { ssim: r.quality.ssim, psnrDb: r.quality.psnrDb, framesCompared: r.quality.framesCompared } } : {}),
    })),
  });
}

export function resultText(result: UploadResult, gatewayUrl: string): string {
  const video = result.video;
  if (result.status === "READY" && video) {
    const rungs = video.renditions.map((r) => r.name).join(", ");
    return `video ${result.videoId} is READY (${video.durationSeconds.toFixed(1)} s; ${rungs})\n  play: ${gatewayUrl}${video.playbackPath}\n`;
  }
  if (result.status === "INTERRUPTED") return `upload of ${result.videoId} interrupted: run the same command again to resume\n`;
  return `video ${result.videoId} is ${result.status}${result.reason ? `: ${result.reason}` : ""}\n`;
}
