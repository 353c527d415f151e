// Rebuilds the search documents from the event stream (stop the service first, then start it).
import { connectNats } from "@kino/messaging";
import { createLogger, loadConfigOrExit } from "@kino/platform";
import { searchConfigSchema } from "./config.ts";
import { rebuildSearch } from "./rebuild.ts";

const config = loadConfigOrExit(searchConfigSchema);
const logger = createLogger({ name: "search-rebuild", level: config.logLevel });
const nats = await connectNats({ url: config.natsUrl, name: "search-rebuild", logger });
try {
  await rebuildSearch(config, nats, logger);
} finally {
  await nats.drain();
}
