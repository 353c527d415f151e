import type { ServiceHandlers } from "@kino/grpc";
import type { EngagementService } from "@kino/proto/catalog/v1";
import { commentHandlers } from "./comment-handlers.ts";
import type { EngagementDependencies } from "./engagement-dependencies.ts";
import { likeHandlers } from "./like-handlers.ts";
import { playlistHandlers } from "./playlist-handlers.ts";
import { watchHistoryHandlers } from "./watch-history-handlers.ts";

export function engagementHandlers(deps: EngagementDependencies): ServiceHandlers<typeof EngagementService> {
  return { ...likeHandlers(deps), ...commentHandlers(deps), ...playlistHandlers(deps), ...watchHistoryHandlers(deps) };
}
