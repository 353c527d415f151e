/**
 * What the search page's URL holds: every filter, so a search can be
 * linked, bookmarked and reloaded. Apart from the request builder, so the
 * header's search box does not pull the search API into every page.
 */
export interface SearchFilters {
  q: string;
  category: string;
  duration: string;
  creator: string;
  uploaded: string;
  sort: string;
  tag: string;
}

const keys = ["q", "category", "duration", "creator", "uploaded", "sort", "tag"] as const;

export function filtersFrom(search: URLSearchParams): SearchFilters {
  return Object.fromEntries(keys.map((key) => [key, search.get(key) ?? ""])) as unknown as SearchFilters;
}

export function searchPath(filters: Partial<SearchFilters>): string {
  const params = new URLSearchParams();
  for (const key of keys) if (filters[key]) params.set(key, filters[key]!);
  const query = params.toString();
  return query ? `/search?${query}` : "/search";
}
