import { useMutation } from "@connectrpc/connect-query";
import { AuthService, type Account } from "@kino/proto/auth/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";

export function ProfileSection({ account }: { account: Account }) {
  const queries = useQueryClient();
  const [displayName, setDisplayName] = useState(account.displayName);
  const update = useMutation(AuthService.method.updateProfile, { onSuccess: () => queries.invalidateQueries() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ displayName });
  };
  return (
    <section aria-labelledby="profile-title" className="card">
      <h2 id="profile-title">Profile</h2>
      <p className="meta">
        {account.email} · {account.tier} plan
      </p>
      <form onSubmit={submit} className="stack">
        <Field label="Display name" required maxLength={100} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        <ErrorText error={update.error} />
        {update.isSuccess ? <p role="status">Saved.</p> : null}
        <button type="submit" disabled={update.isPending}>
          Save profile
        </button>
      </form>
    </section>
  );
}
