import { useMutation, useQuery } from "@connectrpc/connect-query";
import { CatalogService, Visibility, type Video } from "@kino/proto/catalog/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { isTerminal, useWatchVideo } from "../../api/watch-video.ts";
import { Link } from "../../router/link.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { ErrorText } from "../../ui/error-text.tsx";
import { formatDuration } from "../../ui/format.ts";
import { VideoStatusBadge } from "../../ui/video-status.tsx";
import { EditVideoForm } from "./edit-video-form.tsx";
import { Poster } from "./poster.tsx";

export const visibilityNames: Record<Visibility, string> = {
  [Visibility.UNSPECIFIED]: "Unknown",
  [Visibility.PUBLIC]: "Public",
  [Visibility.UNLISTED]: "Unlisted",
  [Visibility.PRIVATE]: "Private",
};

/** One of the owner's videos; one still on its way follows WatchVideo, so its status moves live. */
export function VideoRow({ video: listed }: { video: Video }) {
  const queries = useQueryClient();
  const refreshList = () => void queries.invalidateQueries();
  const live = useWatchVideo(isTerminal(listed.status) ? undefined : listed.id, refreshList);
  const video = live.video ?? listed;
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useMutation(CatalogService.method.deleteVideo, { onSuccess: refreshList });
  const label = video.title || "Untitled";
  const categories = useQuery(CatalogService.method.listCategories, {}, { staleTime: 5 * 60_000, enabled: video.category !== "" });
  const categoryName = categories.data?.categories.find((c) => c.slug === video.category)?.name ?? video.category;

  return (
    <li className="video-row" data-video-id={video.id}>
      <Poster video={video} />
      <div className="video-info">
        <h2 className="video-title">
          <Link to={`/watch/${video.id}`}>{label}</Link>
        </h2>
        <p className="meta">
          <VideoStatusBadge video={video} />
          {video.durationSeconds > 0 ? <span> · {formatDuration(video.durationSeconds)}</span> : null}
          <span> · {visibilityNames[video.visibility]}</span>
        </p>
        {video.category ? <p className="meta">Category: {categoryName}</p> : null}
        {video.tags.length > 0 ? (
          <ul className="tags" aria-label="Tags">
            {video.tags.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ul>
        ) : null}
        {video.description ? <p className="description">{video.description}</p> : null}
        <ErrorText error={live.error} prefix="Live status stopped" />
      </div>
      <div className="row-actions">
        <Link to={`/analytics/${video.id}`} className="button secondary" aria-label={`Analytics of ${label}`}>
          Analytics
        </Link>
        <button type="button" onClick={() => setEditing(true)} aria-label={`Edit ${label}`}>
          Edit
        </button>
        <button type="button" className="danger" onClick={() => setDeleting(true)} aria-label={`Delete ${label}`}>
          Delete
        </button>
      </div>
      <Dialog title={`Edit “${label}”`} open={editing} onClose={() => setEditing(false)}>
        <EditVideoForm video={video} onDone={() => setEditing(false)} />
      </Dialog>
      <Dialog title={`Delete “${label}”?`} open={deleting} onClose={() => setDeleting(false)}>
        <p>The video and all its files are removed. This cannot be undone.</p>
        <ErrorText error={remove.error} />
        <div className="row-actions">
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: video.id }, { onSuccess: () => setDeleting(false) })}>
            {remove.isPending ? "Deleting…" : "Delete forever"}
          </button>
          <button type="button" onClick={() => setDeleting(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </li>
  );
}
