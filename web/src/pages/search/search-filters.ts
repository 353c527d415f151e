import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { SearchSort, type SearchVideosRequestSchema } from "@kino/proto/search/v1";

import type { SearchFilters } from "./search-path.ts";

export const durations: Record<string, { label: string; min: number; max: number }> = {
  "": { label: "Any length", min: 0, max: 0 },
  short: { label: "Under 1 minute", min: 0, max: 60 },
  medium: { label: "1 to 20 minutes", min: 60, max: 1200 },
  long: { label: "Over 20 minutes", min: 1200, max: 0 },
};

const day = 86_400_000;
export const uploadDates: Record<string, { label: string; days: number }> = {
  "": { label: "Any time", days: 0 },
  day: { label: "Last 24 hours", days: 1 },
  week: { label: "Last 7 days", days: 7 },
  month: { label: "Last 30 days", days: 30 },
  year: { label: "Last year", days: 365 },
};

export const sorts: Record<string, { label: string; sort: SearchSort }> = {
  "": { label: "Best match", sort: SearchSort.UNSPECIFIED },
  newest: { label: "Newest", sort: SearchSort.NEWEST },
  views: { label: "Most viewed", sort: SearchSort.MOST_VIEWED },
};


/** The SearchVideos request for the filters; an unknown value in the URL means no bound. */
export function searchRequest(filters: SearchFilters, now: number): MessageInitShape<typeof SearchVideosRequestSchema> & { pageToken: string } {
  const duration = durations[filters.duration] ?? durations[""]!;
  const uploaded = uploadDates[filters.uploaded] ?? uploadDates[""]!;
  return {
    query: filters.q,
    category: filters.category,
    ownerId: filters.creator,
    tag: filters.tag,
    minDurationSeconds: duration.min,
    maxDurationSeconds: duration.max,
    ...(uploaded.days > 0 ? { createdAfter: timestampFromMs(now - uploaded.days * day) } : {}),
    sort: (sorts[filters.sort] ?? sorts[""]!).sort,
    pageSize: 20,
    pageToken: "",
  };
}
