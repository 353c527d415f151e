import type { Kysely } from "kysely";
import type { Logger } from "@kino/platform";
import { claimDueDeliveries, recordAttempt, type DeliveryRules } from "./delivery-store.ts";
import type { NotifyDatabase } from "./schema.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export interface WebhookDispatcherOptions {
  db: Kysely<NotifyDatabase>;
  send: WebhookSender;
  rules: DeliveryRules;
  timeoutMs: number;
  clock: () => Date;
  logger: Logger;
  /** Told when an endpoint was disabled, so its mail goes out soon. */
  onDisabled(): void;
}

const batchSize = 16;
// Past the request's own timeout, so a lease never ends while its attempt still runs.
const leaseMarginMs = 30_000;

/** One round: the due deliveries, attempted side by side, each outcome logged. Returns how many. */
export function webhookRound(options: WebhookDispatcherOptions): () => Promise<number> {
  return async () => {
    const now = options.clock();
    const claimed = await claimDueDeliveries(options.db, now, new Date(now.getTime() + options.timeoutMs + leaseMarginMs), batchSize);
    await Promise.all(
      claimed.map(async (delivery) => {
        const startedAt = options.clock();
        const outcome = await options.send({ url: delivery.url, body: delivery.body, secret: delivery.secret, eventId: delivery.eventId, deliveryId: delivery.id });
        const { disabled } = await recordAttempt(options.db, delivery, outcome, startedAt, options.clock(), options.rules);
        const log = { deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: delivery.attempts + 1, responseCode: outcome.responseCode, latencyMs: outcome.latencyMs };
        if (outcome.ok) options.logger.info(log, "webhook delivered");
        else options.logger.info({ ...log, error: outcome.error }, "webhook attempt failed");
        if (disabled) {
          options.logger.warn({ endpointId: delivery.endpointId }, "webhook endpoint disabled after failing too long");
          options.onDisabled();
        }
      }),
    );
    return claimed.length;
  };
}
