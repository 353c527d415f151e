import type { Account } from "@kino/proto/auth/v1";
import { useId, useState } from "react";
import { csrfHeaders } from "../../api/cookies.ts";

/** PUT /avatars/me with the picked image; the gateway re-encodes it and serves /avatars/<id>/256.webp. */
export function AvatarSection({ account }: { account: Account }) {
  const id = useId();
  const [version, setVersion] = useState(() => Date.now());
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await fetch("/avatars/me", { method: "PUT", body: file, headers: { "content-type": file.type || "application/octet-stream", ...csrfHeaders() } });
      if (!answer.ok) throw new Error((await answer.text()).trim() || `the server answered ${answer.status}`);
      setMissing(false);
      setVersion(Date.now()); // a new URL, so the browser does not show its cached copy
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="avatar-title" className="card">
      <h2 id="avatar-title">Avatar</h2>
      <div className="avatar-row">
        {missing ? (
          <div className="avatar placeholder" aria-hidden="true">
            {account.displayName.slice(0, 1).toUpperCase()}
          </div>
        ) : (
          <img className="avatar" src={`/avatars/${account.userId}/256.webp?v=${version}`} alt="Your avatar" width={96} height={96} onError={() => setMissing(true)} />
        )}
        <div className="field">
          <label htmlFor={id}>Upload a new avatar</label>
          <input id={id} type="file" accept="image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic" disabled={busy} onChange={(e) => void upload(e.target.files?.[0])} />
          <small className="hint">JPEG, PNG, WebP, GIF, AVIF or HEIC, up to 5 MB. It is cropped to a square.</small>
        </div>
      </div>
      {error ? (
        <p className="error" role="alert">
          Avatar not saved: {error}
        </p>
      ) : null}
    </section>
  );
}
