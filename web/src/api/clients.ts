import { createClient } from "@connectrpc/connect";
import { AuthService } from "@kino/proto/auth/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { transport } from "./transport.ts";

/** Plain clients for what connect-query does not cover: streams and imperative calls. */
export const authClient = createClient(AuthService, transport);
export const catalogClient = createClient(CatalogService, transport);
