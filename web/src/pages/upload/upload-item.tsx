import { VideoStatus, type Visibility } from "@kino/proto/catalog/v1";
import type { Account } from "@kino/proto/auth/v1";
import { useEffect, useRef, useState } from "react";
import { uploadClient } from "./upload-client.ts";
import { errorMessage } from "../../api/errors.ts";
import { useWatchVideo } from "../../api/watch-video.ts";
import { Link } from "../../router/link.tsx";
import { formatBytes } from "../../ui/format.ts";
import { VideoStatusBadge } from "../../ui/video-status.tsx";
import { checkFile, titleFromFileName } from "./file-checks.ts";
import { findStoredUpload, forgetStoredUpload, startTusUpload } from "./tus-upload.ts";

type Phase =
  | { kind: "refused"; message: string; videoId?: undefined }
  | { kind: "starting" }
  | { kind: "uploading"; videoId: string; sent: number; resumedFrom?: number }
  | { kind: "failed"; message: string; videoId?: string }
  | { kind: "uploaded"; videoId: string };

/** One picked file: checked, then CreateUpload (or the stored resume record), tus, then live status. */
export function UploadItem({ file, account, visibility }: { file: File; account: Account; visibility: Visibility }) {
  const [phase, setPhase] = useState<Phase>({ kind: "starting" });
  const started = useRef(false);

  useEffect(() => {
    // Once per file, also under StrictMode's double effects: CreateUpload makes a video.
    if (started.current) return;
    started.current = true;
    const refusal = checkFile(file, Number(account.limits?.maxUploadBytes ?? 0n));
    if (refusal) return setPhase({ kind: "refused", message: refusal });
    void (async () => {
      const callbacksFor = (videoId: string) => ({
        onProgress: (sent: number) => setPhase((p) => (p.kind === "uploading" ? { ...p, sent } : { kind: "uploading", videoId, sent })),
        onResumed: (offset: number) => setPhase({ kind: "uploading", videoId, sent: offset, resumedFrom: offset }),
        onSuccess: () => setPhase({ kind: "uploaded", videoId }),
        onError: (message: string) => setPhase({ kind: "failed", message, videoId }),
      });
      const stored = await findStoredUpload(file, account.userId);
      if (stored) {
        setPhase({ kind: "uploading", videoId: stored.videoId, sent: 0 });
        return startTusUpload(file, { userId: account.userId, videoId: stored.videoId, previous: stored }, {
          ...callbacksFor(stored.videoId),
          // Expired or gone on the server: forget it and say so; picking the file again starts afresh.
          onError: (message) => void forgetStoredUpload(stored).then(() => setPhase({ kind: "failed", message: `${message} (pick the file again to start over)`, videoId: stored.videoId })),
        });
      }
      try {
        const created = await uploadClient.createUpload({ title: titleFromFileName(file.name), sizeBytes: BigInt(file.size), visibility });
        const videoId = created.video?.id ?? "";
        setPhase({ kind: "uploading", videoId, sent: 0 });
        startTusUpload(file, { userId: account.userId, videoId, endpoint: created.uploadUrl }, callbacksFor(videoId));
      } catch (error) {
        setPhase({ kind: "failed", message: errorMessage(error) });
      }
    })();
  }, [file, account, visibility]);

  return (
    <li className="upload-item">
      <p className="upload-name">
        <strong>{file.name}</strong> <span className="meta">{formatBytes(file.size)}</span>
      </p>
      <UploadPhase phase={phase} size={file.size} name={file.name} />
    </li>
  );
}

function UploadPhase({ phase, size, name }: { phase: Phase; size: number; name: string }) {
  switch (phase.kind) {
    case "refused":
    case "failed":
      return (
        <>
          <p className="error" role="alert">
            {phase.message}
          </p>
          {phase.videoId ? <LiveStatus videoId={phase.videoId} /> : null}
        </>
      );
    case "starting":
      return <p role="status">Starting…</p>;
    case "uploading": {
      const percent = Math.floor((phase.sent / size) * 100);
      return (
        <>
          <progress max={size} value={phase.sent} aria-label={`Upload of ${name}`} />
          <p className="meta" aria-live="polite">
            {percent}% uploaded
            {phase.resumedFrom !== undefined ? ` · resumed at ${formatBytes(phase.resumedFrom)}` : ""}
          </p>
        </>
      );
    }
    case "uploaded":
      return <LiveStatus videoId={phase.videoId} />;
  }
}

/** Status and transcode progress from the WatchVideo stream, with a link once it plays. */
function LiveStatus({ videoId }: { videoId: string }) {
  const { video, error } = useWatchVideo(videoId);
  if (error) return <p className="error" role="alert">Live status stopped: {errorMessage(error)}</p>;
  if (!video) return <p role="status">Upload complete; waiting for the server…</p>;
  return (
    <>
      <p>
        <VideoStatusBadge video={video} />
      </p>
      {video.status === VideoStatus.PROCESSING ? <progress max={100} value={video.progress?.percent ?? 0} aria-label={`Processing of ${video.title}`} /> : null}
      {video.status === VideoStatus.READY ? <Link to={`/watch/${video.id}`}>Watch {video.title}</Link> : null}
    </>
  );
}
