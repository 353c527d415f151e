import type { Kysely } from "kysely";
import type { AddressGuard } from "./host-resolver.ts";
import type { NotifyDatabase } from "./schema.ts";

/** What the RPC handlers work with. */
export interface NotifyDependencies {
  db: Kysely<NotifyDatabase>;
  guard: AddressGuard;
  clock: () => Date;
  /** Tells the delivery worker that something is due now (a redelivery). */
  wakeDeliveries(): void;
}
