import type { MigrationSet } from "@kino/database";
import * as documents from "./0001-documents.ts";
import * as titleSearch from "./0002-title-search.ts";
import * as categoryIndexes from "./0003-category-indexes.ts";
import * as viewCounts from "./0004-view-counts.ts";
import * as captionText from "./0005-caption-text.ts";
import * as coveringIndexes from "./0006-covering-indexes.ts";

/** Every search migration, in the order applied. Never edit one that has shipped; add the next. */
export const searchMigrations: MigrationSet = {
  "0001-documents": documents,
  "0002-title-search": titleSearch,
  "0003-category-indexes": categoryIndexes,
  "0004-view-counts": viewCounts,
  "0005-caption-text": captionText,
  "0006-covering-indexes": coveringIndexes,
};
