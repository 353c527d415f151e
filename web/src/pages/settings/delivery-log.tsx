import { useMutation, useQuery } from "@connectrpc/connect-query";
import { DeliveryStatus, NotifyService, type WebhookDelivery, type WebhookEndpoint } from "@kino/proto/notify/v1";
import { ErrorText } from "../../ui/error-text.tsx";
import { formatTime } from "../../ui/format.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { nameOfEvent } from "./webhook-events.ts";

const statusNames: Record<DeliveryStatus, string> = {
  [DeliveryStatus.UNSPECIFIED]: "Unknown",
  [DeliveryStatus.PENDING]: "Pending",
  [DeliveryStatus.SUCCEEDED]: "Succeeded",
  [DeliveryStatus.FAILED]: "Failed",
};

function lastAttempt(delivery: WebhookDelivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return "Not tried yet";
  const outcome = last.error || `answered ${last.responseCode}`;
  return `#${last.attempt} ${formatTime(last.time)}: ${outcome} in ${last.latencyMs} ms`;
}

/** One endpoint's deliveries, newest first, each with its last attempt; a delivery can be sent again. */
export function DeliveryLog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const log = useQuery(NotifyService.method.listWebhookDeliveries, { endpointId: endpoint.id, pageSize: 50 }, { refetchInterval: 2000 });
  const redeliver = useMutation(NotifyService.method.redeliverWebhook, { onSuccess: () => log.refetch() });
  return (
    <section aria-labelledby="delivery-log-title" className="delivery-log">
      <div className="page-head">
        <h3 id="delivery-log-title">Deliveries to {endpoint.url}</h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close the log
        </button>
      </div>
      <ErrorText error={log.error} prefix="Could not load the deliveries" />
      <ErrorText error={redeliver.error} prefix="Not sent again" />
      {log.data && log.data.deliveries.length === 0 ? <p className="empty">Nothing was sent to this endpoint yet.</p> : null}
      {log.data && log.data.deliveries.length > 0 ? (
        <TableScroll label={`Deliveries to ${endpoint.url}`}>
          <table>
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last attempt</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.data.deliveries.map((delivery) => (
                <tr key={delivery.id} data-delivery-id={delivery.id} data-event-id={delivery.eventId}>
                  <td>{nameOfEvent(delivery.eventType)}</td>
                  <td data-delivery-status>{statusNames[delivery.status] ?? "Unknown"}</td>
                  <td>{formatTime(delivery.createTime)}</td>
                  <td>{delivery.attempts.length}</td>
                  <td>{lastAttempt(delivery)}</td>
                  <td>
                    <button type="button" disabled={redeliver.isPending} onClick={() => redeliver.mutate({ deliveryId: delivery.id })}>
                      Send again<span className="visually-hidden"> {nameOfEvent(delivery.eventType)} of {formatTime(delivery.createTime)}</span>
                    </button>
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
