import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { ApiKeyScope, AuthService } from "@kino/proto/auth/v1";
import { useId, useState, type FormEvent } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { Field } from "../../ui/field.tsx";
import { formatTime } from "../../ui/format.ts";

const scopeNames: [ApiKeyScope, string][] = [
  [ApiKeyScope.VIDEOS_READ, "videos:read"],
  [ApiKeyScope.VIDEOS_WRITE, "videos:write"],
  [ApiKeyScope.ANALYTICS_READ, "analytics:read"],
];
const nameOfScope = (scope: ApiKeyScope) => scopeNames.find(([value]) => value === scope)?.[1] ?? ApiKeyScope[scope]?.toLowerCase() ?? String(scope);
const day = 24 * 60 * 60 * 1000;

export function ApiKeysSection() {
  const id = useId();
  const keys = useQuery(AuthService.method.listApiKeys, {});
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([ApiKeyScope.VIDEOS_READ]);
  const [days, setDays] = useState(0);
  const create = useMutation(AuthService.method.createApiKey, { onSuccess: () => keys.refetch() });
  const revoke = useMutation(AuthService.method.revokeApiKey, { onSuccess: () => keys.refetch() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, scopes, ...(days > 0 ? { expireTime: timestampFromMs(Date.now() + days * day) } : {}) });
  };
  const toggle = (scope: ApiKeyScope, on: boolean) => setScopes((list) => (on ? [...list, scope] : list.filter((s) => s !== scope)));

  return (
    <section aria-labelledby="keys-title" className="card">
      <h2 id="keys-title">API keys</h2>
      <form onSubmit={submit} className="stack">
        <Field label="Key name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset>
          <legend>Scopes</legend>
          {scopeNames.map(([scope, label]) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} /> {label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-expiry`}>Expires</label>
          <select id={`${id}-expiry`} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={0}>Never</option>
            <option value={30}>In 30 days</option>
            <option value={90}>In 90 days</option>
            <option value={365}>In a year</option>
          </select>
        </div>
        <ErrorText error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {create.data ? (
        <div className="secret" role="status">
          <p>
            <strong>Copy this key now: it is never shown again.</strong>
          </p>
          <label htmlFor={`${id}-secret`}>Secret of “{create.data.apiKey?.name}”</label>
          <input id={`${id}-secret`} readOnly value={create.data.secret} onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(create.data.secret)}>
            Copy
          </button>
        </div>
      ) : null}
      <ErrorText error={keys.error} prefix="Could not list your keys" />
      <ErrorText error={revoke.error} prefix="Could not revoke the key" />
      {keys.data && keys.data.apiKeys.length === 0 ? <p className="empty">You have no API keys.</p> : null}
      {keys.data && keys.data.apiKeys.length > 0 ? (
        <TableScroll label="Your API keys">
          <table>
            <caption className="visually-hidden">Your API keys, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.apiKeys.map((key) => (
                <tr key={key.keyId}>
                  <td>{key.name}</td>
                  <td>
                    <code>kino_{key.prefix}_</code>
                  </td>
                  <td>{key.scopes.map(nameOfScope).join(", ")}</td>
                  <td>{formatTime(key.createTime)}</td>
                  <td>{key.lastUsedTime ? formatTime(key.lastUsedTime) : "Never"}</td>
                  <td>{key.expireTime ? formatTime(key.expireTime) : "Never"}</td>
                  <td>
                    {key.revoked ? (
                      "Revoked"
                    ) : (
                      <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate({ keyId: key.keyId })}>
                        Revoke<span className="visually-hidden"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}
