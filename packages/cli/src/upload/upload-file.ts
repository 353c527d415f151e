import { stat } from "node:fs/promises";
import { ConnectError } from "@connectrpc/connect";
import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { KinoError } from "@kino/platform";
import type { GatewayClients } from "../api/gateway-clients.ts";
import { createProgressBar, formatBytes } from "../ui/progress-bar.ts";
import type { UploadStateStore } from "./upload-state.ts";
import { runTusUpload } from "./tus-upload.ts";
import { watchUntilDone } from "./watch-transcode.ts";

export interface UploadFileOptions {
  clients: GatewayClients;
  file: string;
  title: string;
  state: UploadStateStore;
  wait: boolean;
  showProgress: boolean;
  signal: AbortSignal;
  chunkSize?: number;
}

export interface UploadResult {
  videoId: string;
  status: keyof typeof VideoStatus | "INTERRUPTED";
  reason: string;
  video?: Video;
}

function statusName(status: VideoStatus): keyof typeof VideoStatus {
  return VideoStatus[status] as keyof typeof VideoStatus;
}

/** Upload (or resume uploading) one file, then optionally follow its transcode to the end. */
export async function uploadFile(options: UploadFileOptions): Promise<UploadResult> {
  const { clients, state } = options;
  const { size } = await stat(options.file);
  let saved = await state.load();
  if (!saved) {
    const created = await clients.uploads
      .createUpload({ title: options.title, sizeBytes: BigInt(size) })
      .catch((error: unknown) => {
        throw new KinoError("failed_precondition", `CreateUpload failed: ${ConnectError.from(error).rawMessage}`, { cause: error });
      });
    saved = { videoId: created.video!.id, endpoint: created.uploadUrl };
    await state.save(saved);
  }
  const current = saved;

  const bar = createProgressBar("upload   ", process.stderr, options.showProgress);
  const started = Date.now();
  const outcome = await runTusUpload({
    file: options.file,
    endpoint: current.endpoint,
    uploadUrl: current.uploadUrl,
    chunkSize: options.chunkSize ?? 8 * 1024 * 1024,
    signal: options.signal,
    onCreated: (uploadUrl) => state.save({ ...current, uploadUrl }),
    onProgress: (sent, total) => {
      const rate = sent / Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(total > 0 ? sent / total : 1, `${formatBytes(sent)} / ${formatBytes(total)}  ${formatBytes(rate)}/s`);
    },
  });
  if (outcome.kind === "aborted") {
    bar.done("interrupted: run the same command again to resume");
    return { videoId: current.videoId, status: "INTERRUPTED", reason: "upload interrupted" };
  }
  if (outcome.kind === "rejected" && [403, 404, 409, 410].includes(outcome.status) && current.uploadUrl) {
    // The earlier upload is gone (expired or finished elsewhere): start a new one.
    await state.clear();
    bar.done(`could not resume (${outcome.reason}); starting over`);
    return uploadFile(options);
  }
  await state.clear();
  if (outcome.kind === "rejected") {
    bar.done(`refused: ${outcome.reason}`);
    const video = await clients.videos.getVideo({ id: current.videoId }).then((r) => r.video, () => undefined);
    return { videoId: current.videoId, status: video ? statusName(video.status) : "FAILED", reason: video?.failureReason || outcome.reason, video };
  }
  bar.done("done");

  if (!options.wait) {
    const { video } = await clients.videos.getVideo({ id: current.videoId });
    return { videoId: current.videoId, status: statusName(video!.status), reason: video!.failureReason, video };
  }
  const transcode = createProgressBar("transcode", process.stderr, options.showProgress);
  const video = await watchUntilDone(
    clients,
    current.videoId,
    (v) => {
      if (v.status === VideoStatus.PROCESSING || v.status === VideoStatus.UPLOADED) {
        const p = v.progress;
        transcode.update((p?.percent ?? 0) / 100, p ? `${p.fps.toFixed(0)} fps  ${p.speed.toFixed(2)}x` : statusName(v.status));
      }
    },
    options.signal,
  );
  transcode.done(video.status === VideoStatus.READY ? "ready" : `${statusName(video.status)} ${video.failureReason}`);
  return { videoId: video.id, status: statusName(video.status), reason: video.failureReason, video };
}
