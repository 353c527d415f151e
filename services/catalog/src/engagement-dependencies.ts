import type { Kysely } from "kysely";
import type { CommentThrottle } from "./comment-throttle.ts";
import type { RetryAfterNotes } from "@kino/grpc";
import type { CatalogDatabase } from "./schema.ts";
import type { VideoRepository } from "./video-repository.ts";

/** What the engagement handlers are built from. */
export interface EngagementDependencies {
  db: Kysely<CatalogDatabase>;
  videos: VideoRepository;
  commentThrottle: CommentThrottle;
  retryAfter: RetryAfterNotes;
}
