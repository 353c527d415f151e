import { useSyncExternalStore } from "react";

// A tiny router: the app has a handful of flat routes, which do not justify a router library's bytes.
const changeEvent = "kino:navigate";

export interface Location {
  path: string;
  search: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, window.location.origin);
  return { path: url.pathname, search: url.searchParams };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(changeEvent));
}

/** Where the user is now, to come back to after signing in. */
export function currentPathWithSearch(): string {
  return window.location.pathname + window.location.search;
}

/** A local path from a ?next= parameter; anything else (another origin, //host) becomes the library. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/library";
}
