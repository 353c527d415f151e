import type { ColumnType, Generated } from "kysely";

export interface DocumentsTable {
  video_id: string;
  version: ColumnType<string, string | bigint, string | bigint>;
  owner_id: string;
  title: string;
  description: string;
  tags: string[];
  category: string;
  language: string;
  visibility: string;
  status: string;
  duration_seconds: number;
  poster_path: string;
  created_at: Date;
  deleted: boolean;
  search: string;
  title_search: string;
  title_plain: string;
  /** The captions' words (every language), weight D of `search`. */
  caption_text: Generated<string>;
}

export interface ViewCountsTable {
  video_id: string;
  total_views: ColumnType<string, string | bigint | number, string | bigint | number>;
}

export interface ViewHoursTable {
  video_id: string;
  hour: Date;
  views: ColumnType<string, string | bigint | number, string | bigint | number>;
}

export interface SearchDatabase {
  documents: DocumentsTable;
  view_counts: ViewCountsTable;
  view_hours: ViewHoursTable;
}
