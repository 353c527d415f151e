import { createDatabase, migrateToLatest } from "@kino/database";
import { createTopology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import type { Kysely } from "kysely";
import type { NatsConnection } from "nats";
import type { SearchConfig } from "./config.ts";
import { DocumentStore } from "./document-store.ts";
import { searchMigrations } from "./migrations/index.ts";
import type { SearchDatabase } from "./schema.ts";

/**
 * Rebuilds the documents from scratch: forgets them and deletes the durable
 * consumer, so the next start of the service reads the event stream from
 * its first message again. Run it with the service stopped. The stream
 * keeps 7 days of events; older videos come back once they change again.
 */
export async function rebuildSearch(config: SearchConfig, nats: NatsConnection, logger: Logger): Promise<void> {
  const db: Kysely<SearchDatabase> = createDatabase<SearchDatabase>({ url: config.databaseUrl });
  try {
    await migrateToLatest(db as Kysely<unknown>, searchMigrations, logger);
    const jsm = await nats.jetstreamManager();
    await jsm.consumers.delete(createTopology(config.natsPrefix).streams.events, config.consumerName).catch((error: unknown) => {
      if (!/consumer not found/i.test(String((error as Error)?.message ?? error))) throw error;
    });
    await new DocumentStore(db).clear();
    logger.info("search documents cleared; the service rebuilds them from the event stream when it starts");
  } finally {
    await db.destroy();
  }
}
