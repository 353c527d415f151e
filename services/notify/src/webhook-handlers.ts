import { randomBytes } from "node:crypto";
import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { EventType, NotifyService } from "@kino/proto/notify/v1";
import { sql, type Kysely } from "kysely";
import { requireCaller } from "./caller.ts";
import { eventTypeName } from "./event-types.ts";
import { isId, newId } from "./ids.ts";
import { deliveryMessage, endpointMessage } from "./messages.ts";
import type { NotifyDependencies } from "./notify-dependencies.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "./page-token.ts";
import type { DeliveryRow, EndpointRow, EventTypeName, NotifyDatabase } from "./schema.ts";
import { checkWebhookUrl } from "./webhook-url.ts";

export const maxEndpointsPerUser = 20;

type WebhookMethods =
  | "createWebhookEndpoint"
  | "listWebhookEndpoints"
  | "deleteWebhookEndpoint"
  | "enableWebhookEndpoint"
  | "listWebhookDeliveries"
  | "redeliverWebhook";

function eventTypesOf(types: EventType[]): EventTypeName[] {
  if (types.length === 0) throw new KinoError("invalid_argument", "event_types needs at least one event type");
  const names = types.map((type) => {
    const name = eventTypeName(type);
    if (!name) throw new KinoError("invalid_argument", "event_types holds an unspecified or unknown event type");
    return name;
  });
  return [...new Set(names)].sort();
}

/** The caller's endpoint; another user's is NOT_FOUND like an unknown one, so ids of others' endpoints tell nothing. */
async function ownEndpoint(db: Kysely<NotifyDatabase>, id: string, userId: string): Promise<EndpointRow> {
  const row = isId(id) ? await db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id).where("user_id", "=", userId).executeTakeFirst() : undefined;
  if (!row) throw new KinoError("not_found", "no webhook endpoint of yours has that endpoint_id");
  return row;
}

async function withAttempts(db: Kysely<NotifyDatabase>, deliveries: DeliveryRow[]) {
  const attempts =
    deliveries.length === 0
      ? []
      : await db.selectFrom("webhook_attempts").selectAll().where("delivery_id", "in", deliveries.map((d) => d.id)).orderBy("attempt").execute();
  return deliveries.map((d) => deliveryMessage(d, attempts.filter((a) => a.delivery_id === d.id)));
}

export function webhookHandlers(deps: NotifyDependencies): Pick<ServiceHandlers<typeof NotifyService>, WebhookMethods> {
  const { db, clock } = deps;
  return {
    async createWebhookEndpoint(request, context: CallContext) {
      const userId = requireCaller(context);
      const eventTypes = eventTypesOf(request.eventTypes);
      const url = await checkWebhookUrl(request.url, deps.guard);
      const secret = `whsec_${randomBytes(32).toString("base64url")}`;
      const row = await db.transaction().execute(async (trx) => {
        // Serialises one user's creations (even the first, when there is no row to lock), so two at once cannot both pass the limit.
        await sql`select pg_advisory_xact_lock(hashtext(${`notify-endpoints:${userId}`}))`.execute(trx);
        const { count } = await trx
          .selectFrom("webhook_endpoints")
          .select((eb) => eb.fn.countAll<string>().as("count"))
          .where("user_id", "=", userId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= maxEndpointsPerUser) {
          throw new KinoError("resource_exhausted", `an account holds at most ${maxEndpointsPerUser} webhook endpoints; delete one first`);
        }
        return trx
          .insertInto("webhook_endpoints")
          .values({ id: newId(), user_id: userId, url, event_types: eventTypes, secret, created_at: clock() })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      context.logger.info({ endpointId: row.id }, "webhook endpoint created");
      return { endpoint: endpointMessage(row), secret };
    },

    async listWebhookEndpoints(_request, context) {
      const userId = requireCaller(context);
      const rows = await db.selectFrom("webhook_endpoints").selectAll().where("user_id", "=", userId).orderBy("seq", "desc").execute();
      return { endpoints: rows.map(endpointMessage) };
    },

    async deleteWebhookEndpoint(request, context) {
      const userId = requireCaller(context);
      const endpoint = await ownEndpoint(db, request.endpointId, userId);
      await db.deleteFrom("webhook_endpoints").where("id", "=", endpoint.id).execute();
      context.logger.info({ endpointId: endpoint.id }, "webhook endpoint deleted");
      return {};
    },

    async enableWebhookEndpoint(request, context) {
      const userId = requireCaller(context);
      const endpoint = await ownEndpoint(db, request.endpointId, userId);
      const row = await db
        .updateTable("webhook_endpoints")
        .set({ disabled_at: null, disabled_reason: null, failing_since: null })
        .where("id", "=", endpoint.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { endpoint: endpointMessage(row) };
    },

    async listWebhookDeliveries(request, context) {
      const userId = requireCaller(context);
      const endpoint = await ownEndpoint(db, request.endpointId, userId);
      const pageSize = pageSizeOf(request.pageSize);
      const list = `deliveries:${endpoint.id}`;
      const afterSeq = decodePageToken(request.pageToken, list);
      let query = db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpoint.id);
      if (afterSeq !== undefined) query = query.where("seq", "<", afterSeq);
      const rows = await query.orderBy("seq", "desc").limit(pageSize + 1).execute();
      const page = rows.slice(0, pageSize);
      return {
        deliveries: await withAttempts(db, page),
        nextPageToken: rows.length > pageSize ? encodePageToken(page.at(-1)!.seq, list) : "",
      };
    },

    async redeliverWebhook(request, context) {
      const userId = requireCaller(context);
      const found = isId(request.deliveryId)
        ? await db
            .selectFrom("webhook_deliveries as d")
            .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
            .select(["d.id", "e.disabled_at"])
            .where("d.id", "=", request.deliveryId)
            .where("e.user_id", "=", userId)
            .executeTakeFirst()
        : undefined;
      if (!found) throw new KinoError("not_found", "no webhook delivery of yours has that delivery_id");
      if (found.disabled_at !== null) throw new KinoError("failed_precondition", "the delivery's endpoint is disabled: enable it first");
      const now = clock();
      const row = await db
        .updateTable("webhook_deliveries")
        .set({ status: "pending", next_attempt_at: now, retry_started_at: now })
        .where("id", "=", found.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      deps.wakeDeliveries();
      context.logger.info({ deliveryId: row.id }, "webhook redelivery requested");
      const [delivery] = await withAttempts(db, [row]);
      return { delivery };
    },
  };
}
