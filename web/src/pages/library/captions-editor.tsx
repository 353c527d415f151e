import { useQuery } from "@connectrpc/connect-query";
import { CatalogService, type Video } from "@kino/proto/catalog/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { csrfHeaders } from "../../api/cookies.ts";
import { ErrorText } from "../../ui/error-text.tsx";

/**
 * A video's captions, one file per language: PUT or DELETE
 * /videos/<id>/captions/<language>. The gateway reads WebVTT or SRT and
 * refuses a bad file naming its line; that text is shown as written.
 */
export function CaptionsEditor({ video }: { video: Video }) {
  const id = useId();
  const queries = useQueryClient();
  const captions = useQuery(CatalogService.method.listCaptions, { videoId: video.id }, { retry: false });
  const [language, setLanguage] = useState("en");
  const [label, setLabel] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const send = async (method: "PUT" | "DELETE", lang: string, file?: File) => {
    setBusy(true);
    setError(undefined);
    try {
      const query = method === "PUT" && label.trim() ? `?label=${encodeURIComponent(label.trim())}` : "";
      const answer = await fetch(`/videos/${video.id}/captions/${encodeURIComponent(lang)}${query}`, {
        method,
        ...(file ? { body: file } : {}),
        headers: { "content-type": "text/plain; charset=utf-8", ...csrfHeaders() },
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
    <fieldset className="field">
      <legend>Captions</legend>
      <ErrorText error={captions.error} prefix="Could not load the captions" />
      {captions.data && captions.data.captions.length > 0 ? (
        <ul aria-label="Caption tracks">
          {captions.data.captions.map((caption) => (
            <li key={caption.language}>
              {caption.label} ({caption.language}){" "}
              <button type="button" disabled={busy} onClick={() => void send("DELETE", caption.language)}>
                Delete {caption.label} captions
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>No captions yet.</p>
      )}
      <label htmlFor={`${id}-language`}>Language (e.g. en, pt-BR)</label>
      <input id={`${id}-language`} value={language} onChange={(e) => setLanguage(e.target.value)} />
      <label htmlFor={`${id}-label`}>Name in the player (optional)</label>
      <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />
      <label htmlFor={`${id}-file`}>Add or replace captions (WebVTT or SRT)</label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".vtt,.srt,text/vtt"
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void send("PUT", language.trim(), file);
        }}
      />
      {error ? (
        <p className="error" role="alert">
          Captions not changed: {error}
        </p>
      ) : null}
    </fieldset>
  );
}
