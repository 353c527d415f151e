import { databaseError } from "@kino/database";
import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import type { Kysely } from "kysely";
import type { JetStreamClient } from "nats";
import type { CatalogDatabase, OutboxSubjectKind } from "./schema.ts";

export interface OutboxRelayOptions {
  db: Kysely<CatalogDatabase>;
  js: JetStreamClient;
  topology: Topology;
  logger: Logger;
  batchSize?: number;
  /** Idle wait between polls of an empty outbox. */
  pollMs?: number;
}

export interface OutboxRelay {
  /** Resolves once the outbox is empty (or rejects after `timeoutMs`); for tests and shutdown. */
  drained(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

function subjectOf(topology: Topology, kind: OutboxSubjectKind): string {
  if (kind === "transcode_job") return topology.transcodeJobSubject;
  if (kind === "download_job") return topology.downloadJobSubject;
  return topology.videoEventSubject(kind.slice("video.".length) as never);
}

/**
 * Publishes outbox rows to JetStream in commit order and deletes them once
 * the stream acknowledged. Rows are locked with SKIP LOCKED so several
 * catalog replicas relay without publishing a row twice; if one dies
 * mid-batch, message ids make the republish a no-op.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const pollMs = options.pollMs ?? 200;
  let stopped = false;
  let failures = 0;

  const relayBatch = async (): Promise<number> =>
    options.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("outbox")
        .selectAll()
        .orderBy("seq")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        await options.js.publish(subjectOf(options.topology, row.subject_kind), row.payload, { msgID: row.message_id });
      }
      if (rows.length > 0) await trx.deleteFrom("outbox").where("seq", "in", rows.map((r) => r.seq)).execute();
      return rows.length;
    });

  const loop = (async () => {
    while (!stopped) {
      let published = 0;
      try {
        published = await relayBatch();
        if (failures > 0) options.logger.info("outbox relay recovered");
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 50 === 0) {
          options.logger.warn({ err: databaseError(error).cause ?? error, failures }, "outbox relay cannot publish yet");
        }
      }
      if (published < batchSize) await new Promise((resolve) => setTimeout(resolve, failures > 0 ? Math.min(5000, pollMs * 2 ** failures) : pollMs));
    }
  })();

  return {
    async drained(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { count } = await options.db
          .selectFrom("outbox")
          .select((eb) => eb.fn.countAll<string>().as("count"))
          .executeTakeFirstOrThrow();
        if (Number(count) === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox still holds ${count} rows after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      stopped = true;
      await loop;
    },
  };
}
