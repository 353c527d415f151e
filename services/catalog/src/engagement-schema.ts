import type { Generated, Selectable } from "kysely";
import type { VisibilityName } from "./schema.ts";

export interface VideoLikesTable {
  video_id: string;
  user_id: string;
  created_at: Generated<Date>;
}

/** One row per liked video, changed in the same transaction as the like it counts. */
export interface VideoLikeCountsTable {
  video_id: string;
  like_count: Generated<string>;
}

export interface CommentsTable {
  id: string;
  /** Insertion order: the listing order and its page key. */
  seq: Generated<string>;
  video_id: string;
  author_id: string;
  /** A top-level comment's id, for a reply; null for a top-level comment. */
  parent_id: string | null;
  text: string;
  hidden: Generated<boolean>;
  created_at: Generated<Date>;
  edited_at: Date | null;
}

export interface PlaylistsTable {
  id: string;
  seq: Generated<string>;
  owner_id: string;
  title: string;
  description: string;
  visibility: VisibilityName;
  item_count: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PlaylistItemsTable {
  playlist_id: string;
  video_id: string;
  /** 0 to item_count - 1, unique per playlist (checked at commit). */
  position: number;
  added_at: Generated<Date>;
}

export interface WatchHistoryTable {
  user_id: string;
  video_id: string;
  position_ms: string;
  watched_at: Date;
}

export interface EngagementTables {
  video_likes: VideoLikesTable;
  video_like_counts: VideoLikeCountsTable;
  comments: CommentsTable;
  playlists: PlaylistsTable;
  playlist_items: PlaylistItemsTable;
  watch_history: WatchHistoryTable;
}

export type CommentRow = Selectable<CommentsTable>;
export type PlaylistRow = Selectable<PlaylistsTable>;
