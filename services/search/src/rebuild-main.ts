// Rebuilds the search documents from the catalog's export (stop the service first, then start it).
import { createAssertionMinter, createGrpcClient } from "@kino/grpc";
import { connectNats } from "@kino/messaging";
import { createLogger, loadConfigOrExit } from "@kino/platform";
import { CatalogExportService } from "@kino/proto/catalog/v1";
import { searchConfigSchema } from "./config.ts";
import { rebuildSearch } from "./rebuild.ts";

const config = loadConfigOrExit(searchConfigSchema);
const logger = createLogger({ name: "search-rebuild", level: config.logLevel });
const nats = await connectNats({ url: config.natsUrl, name: "search-rebuild", logger });
const catalog = createGrpcClient(CatalogExportService, config.catalogUrl, { identity: createAssertionMinter(config.identity) });
try {
  await rebuildSearch(config, nats, catalog, logger);
} finally {
  catalog.close();
  await nats.drain();
}
