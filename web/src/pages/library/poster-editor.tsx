import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { csrfHeaders } from "../../api/cookies.ts";

/** PUT or DELETE /videos/<id>/poster; the gateway re-encodes the image and the catalog names the new poster. Refusals are shown as the server words them. */
export function PosterEditor({ video }: { video: Video }) {
  const id = useId();
  const queries = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (video.status !== VideoStatus.READY) return null;
  const change = async (file: File | undefined, remove = false) => {
    if (!file && !remove) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await fetch(`/videos/${video.id}/poster`, {
        method: remove ? "DELETE" : "PUT",
        ...(file ? { body: file } : {}),
        headers: { "content-type": file?.type || "application/octet-stream", ...csrfHeaders() },
      });
      if (!answer.ok) throw new Error((await answer.text()).trim() || `the server answered ${answer.status}`);
      await queries.invalidateQueries();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field">
      <label htmlFor={`${id}-poster`}>Replace poster</label>
      <input id={`${id}-poster`} type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/heic" disabled={busy} onChange={(e) => void change(e.target.files?.[0])} />
      <small className="hint">JPEG, PNG, WebP, AVIF or HEIC, up to 10 MB; shown at up to 1280×720.</small>
      <button type="button" disabled={busy} onClick={() => void change(undefined, true)}>
        Back to the automatic poster
      </button>
      {error ? (
        <p className="error" role="alert">
          Poster not changed: {error}
        </p>
      ) : null}
    </div>
  );
}
