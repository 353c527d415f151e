import { eventsAndViews } from "./001-events-and-views.ts";
import type { Migration } from "./migration.ts";

export type { Migration } from "./migration.ts";

/** Every migration, oldest first. Append only; never edit a released one. */
export const migrations: readonly Migration[] = [eventsAndViews];
