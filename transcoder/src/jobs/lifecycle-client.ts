import type { GrpcClient } from "@kino/grpc";
import type { ContentKeyService, VideoLifecycleService } from "@kino/proto/catalog/v1";

/** The catalog's internal lifecycle API, as the transcoder calls it. */
export type LifecycleClient = GrpcClient<typeof VideoLifecycleService>;

/** No catalog call may hold a job (and its slot) indefinitely. */
export const CATALOG_CALL_TIMEOUT_MS = 10_000;

/** The catalog's content keys, for protected videos (the transcoder's identity may ask). */
export type ContentKeyClient = Pick<GrpcClient<typeof ContentKeyService>, "getContentKey">;
