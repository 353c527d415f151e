import { useMutation, useQuery } from "@connectrpc/connect-query";
import { EventType, NotifyService, type WebhookEndpoint } from "@kino/proto/notify/v1";
import { useId, useState, type FormEvent } from "react";
import { Dialog } from "../../ui/dialog.tsx";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";
import { formatTime } from "../../ui/format.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { DeliveryLog } from "./delivery-log.tsx";
import { eventNames, nameOfEvent } from "./webhook-events.ts";

/** Webhook endpoints: create (the signing secret shown once), list, enable a disabled one, delete, and each one's delivery log. */
export function WebhooksSection() {
  const id = useId();
  const endpoints = useQuery(NotifyService.method.listWebhookEndpoints, {});
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<EventType[]>([EventType.VIDEO_READY, EventType.VIDEO_FAILED]);
  const [logOf, setLogOf] = useState<WebhookEndpoint>();
  const [deleting, setDeleting] = useState<WebhookEndpoint>();
  const create = useMutation(NotifyService.method.createWebhookEndpoint, { onSuccess: () => endpoints.refetch() });
  const enable = useMutation(NotifyService.method.enableWebhookEndpoint, { onSuccess: () => endpoints.refetch() });
  const remove = useMutation(NotifyService.method.deleteWebhookEndpoint, {
    onSuccess: () => {
      setDeleting(undefined);
      void endpoints.refetch();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url: url.trim(), eventTypes: events });
  };
  const toggle = (type: EventType, on: boolean) => setEvents((list) => (on ? [...list, type] : list.filter((t) => t !== type)));

  return (
    <section aria-labelledby="webhooks-title" className="card">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="hint">Kino POSTs a signed JSON body (header Kino-Signature) to your URL when one of your videos changes.</p>
      <form onSubmit={submit} className="stack">
        <Field label="Endpoint URL" type="url" required maxLength={2048} placeholder="https://example.com/kino" value={url} onChange={(e) => setUrl(e.target.value)} />
        <fieldset>
          <legend>Events</legend>
          {eventNames.map(([type, label]) => (
            <label key={type} className="checkbox">
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} /> {label}
            </label>
          ))}
        </fieldset>
        <ErrorText error={create.error} prefix="Endpoint not added" />
        <button type="submit" disabled={create.isPending}>
          Add endpoint
        </button>
      </form>
      {create.data ? (
        <div className="secret" role="status">
          <p>
            <strong>Copy this signing secret now: it is never shown again.</strong>
          </p>
          <label htmlFor={`${id}-secret`}>Signing secret of {create.data.endpoint?.url}</label>
          <input id={`${id}-secret`} readOnly value={create.data.secret} onFocus={(e) => e.target.select()} />
        </div>
      ) : null}
      <ErrorText error={endpoints.error} prefix="Could not list your webhooks" />
      <ErrorText error={enable.error} prefix="Could not enable the endpoint" />
      {endpoints.data && endpoints.data.endpoints.length === 0 ? <p className="empty">You have no webhook endpoints.</p> : null}
      {endpoints.data && endpoints.data.endpoints.length > 0 ? (
        <TableScroll label="Your webhook endpoints">
          <table>
            <caption className="visually-hidden">Your webhook endpoints, newest first</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.endpoints.map((endpoint) => (
                <tr key={endpoint.id} data-endpoint-id={endpoint.id}>
                  <td>{endpoint.url}</td>
                  <td>{endpoint.eventTypes.map(nameOfEvent).join(", ")}</td>
                  <td data-state>
                    {endpoint.disableTime
                      ? `Disabled: ${endpoint.disabledReason || "no reason given"}`
                      : endpoint.failingSinceTime
                        ? `Failing since ${formatTime(endpoint.failingSinceTime)}`
                        : "Enabled"}
                  </td>
                  <td>{formatTime(endpoint.createTime)}</td>
                  <td className="row-actions">
                    <button type="button" className="secondary" onClick={() => setLogOf(endpoint)}>
                      Deliveries<span className="visually-hidden"> of {endpoint.url}</span>
                    </button>
                    {endpoint.disableTime ? (
                      <button type="button" disabled={enable.isPending} onClick={() => enable.mutate({ endpointId: endpoint.id })}>
                        Enable<span className="visually-hidden"> {endpoint.url}</span>
                      </button>
                    ) : null}
                    <button type="button" className="danger" onClick={() => setDeleting(endpoint)}>
                      Delete<span className="visually-hidden"> {endpoint.url}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {logOf ? <DeliveryLog endpoint={logOf} onClose={() => setLogOf(undefined)} /> : null}
      <Dialog title={`Delete the endpoint ${deleting?.url ?? ""}?`} open={deleting !== undefined} onClose={() => setDeleting(undefined)}>
        <p>Nothing more is sent to it, and its delivery log is removed.</p>
        <ErrorText error={remove.error} />
        <div className="row-actions">
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => deleting && remove.mutate({ endpointId: deleting.id })}>
            Delete endpoint
          </button>
          <button type="button" onClick={() => setDeleting(undefined)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </section>
  );
}
