import { createDatabase, migrateToLatest } from "@kino/database";
import type { GrpcClient } from "@kino/grpc";
import { createTopology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import type { CatalogExportService } from "@kino/proto/catalog/v1";
import type { Kysely } from "kysely";
import { DeliverPolicy, type NatsConnection } from "nats";
import type { SearchConfig } from "./config.ts";
import { catalogCaptionText } from "./caption-text.ts";
import { DocumentStore } from "./document-store.ts";
import { eventConsumerSettings } from "./event-consumer.ts";
import { searchMigrations } from "./migrations/index.ts";
import type { SearchDatabase } from "./schema.ts";

/** Events this much older than the export's start are replayed too: clocks of hosts differ a little. */
const replayMarginMs = 60_000;

/**
 * Rebuilds the documents from scratch, with the service stopped: forgets
 * them, loads every live video from the catalog's export (so a video whose
 * events left the 7-day stream long ago comes back too), then points the
 * durable consumer at the events from just before the export began. Events
 * and export overlap; a document only moves forward by version, so the
 * overlap changes nothing and nothing that happened meanwhile is lost.
 */
export async function rebuildSearch(config: SearchConfig, nats: NatsConnection, catalog: GrpcClient<typeof CatalogExportService>, logger: Logger): Promise<{ videos: number }> {
  const db: Kysely<SearchDatabase> = createDatabase<SearchDatabase>({ url: config.databaseUrl });
  try {
    await migrateToLatest(db as Kysely<unknown>, searchMigrations, logger);
    const jsm = await nats.jetstreamManager();
    const topology = createTopology(config.natsPrefix);
    const stream = topology.streams.events;
    const startedAt = new Date(Date.now() - replayMarginMs);
    await jsm.consumers.delete(stream, config.consumerName).catch((error: unknown) => {
      if (!/consumer not found/i.test(String((error as Error)?.message ?? error))) throw error;
    });
    const store = new DocumentStore(db);
    await store.clear();
    let videos = 0;
    const captionText = catalogCaptionText(catalog);
    for await (const page of catalog.exportVideos({})) {
      for (const video of page.videos) await store.apply(video, await captionText(video));
      videos += page.videos.length;
      logger.debug({ videos }, "exported videos applied");
    }
    await jsm.consumers.add(stream, {
      ...eventConsumerSettings(config.consumerName, topology),
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: startedAt.toISOString(),
    });
    logger.info({ videos, eventsFrom: startedAt.toISOString() }, "search documents rebuilt from the catalog's export; the service follows events from before it began");
    return { videos };
  } finally {
    await db.destroy();
  }
}
