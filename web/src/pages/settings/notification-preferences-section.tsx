import { useMutation, useQuery } from "@connectrpc/connect-query";
import { NotifyService, type NotificationPreferences } from "@kino/proto/notify/v1";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorText } from "../../ui/error-text.tsx";

/** Which emails Kino sends about the caller's videos; webhooks and the in-app feed are not affected. */
export function NotificationPreferencesSection() {
  const current = useQuery(NotifyService.method.getNotificationPreferences, {});
  const [ready, setReady] = useState(true);
  const [failed, setFailed] = useState(true);
  const shown = current.data?.preferences;
  useEffect(() => {
    if (!shown) return;
    setReady(shown.emailVideoReady);
    setFailed(shown.emailVideoFailed);
  }, [shown]);
  const save = useMutation(NotifyService.method.setNotificationPreferences, { onSuccess: () => current.refetch() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const preferences: Omit<NotificationPreferences, "$typeName"> = { emailVideoReady: ready, emailVideoFailed: failed };
    save.mutate({ preferences });
  };
  return (
    <section aria-labelledby="preferences-title" className="card">
      <h2 id="preferences-title">Email notifications</h2>
      <ErrorText error={current.error} prefix="Could not load your preferences" />
      <form onSubmit={submit} className="stack">
        <label className="checkbox">
          <input type="checkbox" checked={ready} onChange={(e) => setReady(e.target.checked)} disabled={!shown} /> Email me when a video is ready
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={failed} onChange={(e) => setFailed(e.target.checked)} disabled={!shown} /> Email me when a video fails, with the reason
        </label>
        <ErrorText error={save.error} prefix="Preferences not saved" />
        {save.isSuccess ? <p role="status">Preferences saved.</p> : null}
        <button type="submit" disabled={!shown || save.isPending}>
          Save preferences
        </button>
      </form>
    </section>
  );
}
