import type { Account } from "@kino/proto/auth/v1";
import { Visibility } from "@kino/proto/catalog/v1";
import { useId, useState, type DragEvent } from "react";
import { Link } from "../../router/link.tsx";
import { formatBytes } from "../../ui/format.ts";
import { Page } from "../../ui/page.tsx";
import { UploadItem } from "./upload-item.tsx";

interface Picked {
  key: number;
  file: File;
  visibility: Visibility;
}

let nextKey = 0;

export default function UploadPage({ account }: { account: Account }) {
  const id = useId();
  const [picked, setPicked] = useState<Picked[]>([]);
  const [visibility, setVisibility] = useState(Visibility.PRIVATE);
  const [dragging, setDragging] = useState(false);
  const add = (files: FileList | null) => {
    if (!files) return;
    setPicked((list) => [...list, ...Array.from(files, (file) => ({ key: nextKey++, file, visibility }))]);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    add(event.dataTransfer.files);
  };
  const maxBytes = Number(account.limits?.maxUploadBytes ?? 0n);

  return (
    <Page title="Upload videos">
      <div className="field">
        <label htmlFor={`${id}-visibility`}>Visibility of new uploads</label>
        <select id={`${id}-visibility`} value={visibility} onChange={(e) => setVisibility(Number(e.target.value) as Visibility)}>
          <option value={Visibility.PRIVATE}>Private: only you</option>
          <option value={Visibility.UNLISTED}>Unlisted: anyone with the link</option>
          <option value={Visibility.PUBLIC}>Public</option>
        </select>
      </div>
      <div
        className={`drop-zone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <label htmlFor={`${id}-files`}>Drop video files here, or choose them</label>
        <input id={`${id}-files`} type="file" accept="video/*,.mkv,.mov,.m4v,.ts,.mts" multiple onChange={(e) => {
          add(e.target.files);
          e.target.value = "";
        }} />
        <small className="hint">{maxBytes > 0 ? `Up to ${formatBytes(maxBytes)} per file. ` : ""}An interrupted upload continues where it stopped when you pick the same file again in this tab.</small>
      </div>
      {picked.length > 0 ? (
        <ul className="upload-list" aria-label="Uploads">
          {picked.map(({ key, file, visibility: chosen }) => (
            <UploadItem key={key} file={file} account={account} visibility={chosen} />
          ))}
        </ul>
      ) : null}
      <p>
        <Link to="/library">Go to your library</Link>
      </p>
    </Page>
  );
}
