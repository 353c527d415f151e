import { useQueryClient } from "@tanstack/react-query";
import { navigate, safeNext } from "../router/history.ts";

/** What sign-in shows in the session list: the browser and the OS, never more of the user agent. */
export function clientDescription(): string {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrom(e|ium)\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "a browser";
  const os = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
  return `Kino web app, ${browser}${os ? ` on ${os}` : ""}`;
}

/** After a sign-in: forget what was loaded as nobody, then go where the user was headed. */
export function useAfterSignIn(): (next: string | null) => Promise<void> {
  const queries = useQueryClient();
  return async (next) => {
    queries.clear();
    navigate(safeNext(next), { replace: true });
  };
}
