import { useQuery } from "@connectrpc/connect-query";
import { CatalogService } from "@kino/proto/catalog/v1";
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { navigate, useLocation } from "../../router/history.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Page } from "../../ui/page.tsx";
import { durations, searchRequest, sorts, uploadDates } from "./search-filters.ts";
import { filtersFrom, searchPath, type SearchFilters } from "./search-path.ts";
import { SearchResults } from "./search-results.tsx";

function Choice({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** /search?q=…&category=…: every filter lives in the URL; a change of one searches again at once. */
export default function SearchPage() {
  const id = useId();
  const location = useLocation();
  const filters = filtersFrom(location.search);
  const [query, setQuery] = useState(filters.q);
  const [creator, setCreator] = useState(filters.creator);
  const categories = useQuery(CatalogService.method.listCategories, {}, { staleTime: 5 * 60_000 });
  const key = searchPath(filters);
  // Dates are relative to when the search was asked for, not to every render.
  const request = useMemo(() => searchRequest(filters, Date.now()), [key]);
  // The header's search box changes the words while this page stays open.
  useEffect(() => setQuery(filters.q), [filters.q]);
  useEffect(() => setCreator(filters.creator), [filters.creator]);
  const change = (next: Partial<SearchFilters>) => navigate(searchPath({ ...filters, ...next }), { replace: true });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(searchPath({ ...filters, q: query.trim(), creator: creator.trim() }));
  };

  return (
    <Page title={filters.q ? `Search: ${filters.q}` : "Search"}>
      <form className="search-form" role="search" aria-label="Search videos" onSubmit={submit}>
        <div className="field grow">
          <label htmlFor={`${id}-q`}>Words</label>
          <input id={`${id}-q`} type="search" maxLength={200} value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-creator`}>Creator id</label>
          <input id={`${id}-creator`} maxLength={64} value={creator} onChange={(e) => setCreator(e.target.value)} />
        </div>
        <button type="submit">Search</button>
      </form>
      <div className="filters" aria-label="Filters" role="group">
        <Choice
          id={`${id}-category`}
          label="Category"
          value={filters.category}
          options={[["", "Any category"], ...(categories.data?.categories ?? []).map((c): [string, string] => [c.slug, c.name])]}
          onChange={(category) => change({ category })}
        />
        <Choice id={`${id}-duration`} label="Length" value={filters.duration} options={Object.entries(durations).map(([k, d]) => [k, d.label])} onChange={(duration) => change({ duration })} />
        <Choice id={`${id}-uploaded`} label="Uploaded" value={filters.uploaded} options={Object.entries(uploadDates).map(([k, d]) => [k, d.label])} onChange={(uploaded) => change({ uploaded })} />
        <Choice id={`${id}-sort`} label="Sort by" value={filters.sort} options={Object.entries(sorts).map(([k, s]) => [k, s.label])} onChange={(sort) => change({ sort })} />
      </div>
      {filters.tag ? (
        <p className="meta">
          Tag: <strong>{filters.tag}</strong>{" "}
          <button type="button" className="link-button" onClick={() => change({ tag: "" })}>
            Any tag
          </button>
        </p>
      ) : null}
      <ErrorText error={categories.error} prefix="Could not load the categories" />
      <SearchResults request={request} label="Search results" empty="No videos match. Try fewer words or filters." />
    </Page>
  );
}
