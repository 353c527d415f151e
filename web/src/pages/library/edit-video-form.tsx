import { useMutation, useQuery } from "@connectrpc/connect-query";
import { CatalogService, Visibility, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "../../api/errors.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";
import { CaptionsEditor } from "./captions-editor.tsx";
import { PosterEditor } from "./poster-editor.tsx";

/** Tags as typed: separated by commas, blanks dropped; the catalog normalises them and names any it refuses. */
export function parseTags(text: string): string[] {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}

/** The catalog names a refused tag by its place in the list ("tags[1] …"); the person knows it by its words. */
function refusedTag(error: unknown, sent: string[]): string | undefined {
  const index = /\btags\[(\d+)\]/.exec(errorMessage(error))?.[1];
  const tag = index === undefined ? undefined : sent[Number(index)];
  return tag === undefined ? undefined : `Tag “${tag}”`;
}

/** Title, description, tags, category and visibility; conditional on the version shown, so a concurrent change is not overwritten silently. */
export function EditVideoForm({ video, onDone }: { video: Video; onDone: () => void }) {
  const queries = useQueryClient();
  const id = useId();
  const [title, setTitle] = useState(video.title);
  const [description, setDescription] = useState(video.description);
  const [visibility, setVisibility] = useState(video.visibility);
  const [tags, setTags] = useState(video.tags.join(", "));
  const [category, setCategory] = useState(video.category);
  const categories = useQuery(CatalogService.method.listCategories, {}, { staleTime: 5 * 60_000 });
  const update = useMutation(CatalogService.method.updateVideo, {
    onSuccess: async () => {
      await queries.invalidateQueries();
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: video.id, title, description, visibility, tags: { tags: parseTags(tags) }, category, expectedVersion: video.version });
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={4} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <Field label="Tags" hint="Separated by commas, up to 20." value={tags} onChange={(e) => setTags(e.target.value)} />
      <div className="field">
        <label htmlFor={`${id}-category`}>Category</label>
        <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">None</option>
          {(categories.data?.categories ?? []).map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={categories.error} prefix="Could not load the categories" />
      <div className="field">
        <label htmlFor={`${id}-visibility`}>Visibility</label>
        <select id={`${id}-visibility`} value={visibility} onChange={(e) => setVisibility(Number(e.target.value) as Visibility)}>
          <option value={Visibility.PUBLIC}>Public: listed, anyone can watch</option>
          <option value={Visibility.UNLISTED}>Unlisted: anyone with the link</option>
          <option value={Visibility.PRIVATE}>Private: only you</option>
        </select>
      </div>
      <PosterEditor video={video} />
      {video.status === VideoStatus.READY ? <CaptionsEditor video={video} /> : null}
      <ErrorText error={update.error} prefix={refusedTag(update.error, parseTags(tags))} />
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
