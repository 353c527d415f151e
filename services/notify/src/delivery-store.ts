import { sql, type Kysely } from "kysely";
import { nextAttemptAt, type RetrySettings } from "./backoff.ts";
import { newId } from "./ids.ts";
import type { NotifyDatabase } from "./schema.ts";
import type { AttemptOutcome } from "./webhook-sender.ts";

export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  userId: string;
  url: string;
  secret: string;
  eventId: string;
  body: string;
  attempts: number;
  retryStartedAt: Date;
}

export interface DeliveryRules {
  retry: RetrySettings;
  disableAfterMs: number;
}

/**
 * Takes up to `limit` due deliveries of enabled endpoints and leases them
 * until `leaseUntil` (their next_attempt_at moves there), so other replicas
 * skip them; a replica that dies mid-attempt leaves them due again when
 * the lease ends.
 */
export async function claimDueDeliveries(db: Kysely<NotifyDatabase>, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
      .select(["d.id", "d.endpoint_id", "e.user_id", "e.url", "e.secret", "d.event_id", "d.body", "d.attempts", "d.retry_started_at"])
      .where("d.status", "=", "pending")
      .where("d.next_attempt_at", "<=", now)
      .where("e.disabled_at", "is", null)
      .orderBy("d.next_attempt_at")
      .limit(limit)
      .forUpdate("d")
      .skipLocked()
      .execute();
    if (rows.length > 0) {
      await trx.updateTable("webhook_deliveries").set({ next_attempt_at: leaseUntil }).where("id", "in", rows.map((r) => r.id)).execute();
    }
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      userId: r.user_id,
      url: r.url,
      secret: r.secret,
      eventId: r.event_id,
      body: r.body,
      attempts: r.attempts,
      retryStartedAt: r.retry_started_at,
    }));
  });
}

/**
 * Logs an attempt and decides what follows: done on a 2xx (and the
 * endpoint is healthy again); otherwise retried later, or given up once the
 * retry window is spent. An endpoint whose failures started `disableAfterMs`
 * ago without a success since is disabled, its pending deliveries given up,
 * and a mail to its owner queued in the same transaction. Returns whether it
 * disabled the endpoint.
 */
export async function recordAttempt(
  db: Kysely<NotifyDatabase>,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  startedAt: Date,
  now: Date,
  rules: DeliveryRules,
): Promise<{ disabled: boolean }> {
  return db.transaction().execute(async (trx) => {
    // Read under lock, not from the claim: a redelivery asked for while this attempt ran may have started another.
    const { attempts } = await trx.selectFrom("webhook_deliveries").select("attempts").where("id", "=", delivery.id).forUpdate().executeTakeFirstOrThrow();
    const attempt = attempts + 1;
    await trx
      .insertInto("webhook_attempts")
      .values({ delivery_id: delivery.id, attempt, started_at: startedAt, latency_ms: outcome.latencyMs, response_code: outcome.responseCode, error: outcome.error })
      .execute();
    if (outcome.ok) {
      await trx.updateTable("webhook_deliveries").set({ status: "succeeded", attempts: attempt, next_attempt_at: null }).where("id", "=", delivery.id).execute();
      await trx.updateTable("webhook_endpoints").set({ failing_since: null }).where("id", "=", delivery.endpointId).execute();
      return { disabled: false };
    }
    const next = nextAttemptAt(rules.retry, delivery.retryStartedAt, attempt, now);
    await trx
      .updateTable("webhook_deliveries")
      .set({ status: next ? "pending" : "failed", attempts: attempt, next_attempt_at: next ?? null })
      .where("id", "=", delivery.id)
      .execute();
    const endpoint = await trx
      .updateTable("webhook_endpoints")
      .set({ failing_since: sql<Date>`coalesce(failing_since, ${startedAt})` })
      .where("id", "=", delivery.endpointId)
      .returning(["failing_since", "disabled_at", "url"])
      .executeTakeFirst();
    if (!endpoint?.failing_since || endpoint.disabled_at !== null) return { disabled: false };
    if (now.getTime() - endpoint.failing_since.getTime() < rules.disableAfterMs) return { disabled: false };

    const hours = Math.round((rules.disableAfterMs / 3_600_000) * 10) / 10;
    const reason = `deliveries failed for ${hours} hours without a success`;
    await trx.updateTable("webhook_endpoints").set({ disabled_at: now, disabled_reason: reason }).where("id", "=", delivery.endpointId).execute();
    await trx
      .updateTable("webhook_deliveries")
      .set({ status: "failed", next_attempt_at: null })
      .where("endpoint_id", "=", delivery.endpointId)
      .where("status", "=", "pending")
      .execute();
    await trx
      .insertInto("outgoing_emails")
      .values({
        id: newId(),
        dedupe_key: `endpoint-disabled:${delivery.endpointId}:${now.getTime()}`,
        user_id: delivery.userId,
        kind: "endpoint_disabled",
        data: JSON.stringify({ endpointId: delivery.endpointId, url: endpoint.url, reason, lastError: outcome.error }),
        status: "pending",
        created_at: now,
        next_attempt_at: now,
      })
      .execute();
    return { disabled: true };
  });
}
