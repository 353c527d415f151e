import { useMutation } from "@connectrpc/connect-query";
import { CatalogService, Visibility, type Video } from "@kino/proto/catalog/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";

/** Title, description and visibility; conditional on the version shown, so a concurrent change is not overwritten silently. */
export function EditVideoForm({ video, onDone }: { video: Video; onDone: () => void }) {
  const queries = useQueryClient();
  const id = useId();
  const [title, setTitle] = useState(video.title);
  const [description, setDescription] = useState(video.description);
  const [visibility, setVisibility] = useState(video.visibility);
  const update = useMutation(CatalogService.method.updateVideo, {
    onSuccess: async () => {
      await queries.invalidateQueries();
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: video.id, title, description, visibility, expectedVersion: video.version });
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={4} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-visibility`}>Visibility</label>
        <select id={`${id}-visibility`} value={visibility} onChange={(e) => setVisibility(Number(e.target.value) as Visibility)}>
          <option value={Visibility.PUBLIC}>Public: listed, anyone can watch</option>
          <option value={Visibility.UNLISTED}>Unlisted: anyone with the link</option>
          <option value={Visibility.PRIVATE}>Private: only you</option>
        </select>
      </div>
      <ErrorText error={update.error} />
      <div className="row-actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
