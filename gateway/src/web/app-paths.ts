// Paths the gateway serves itself, whatever route list they end up in: the app never answers for them.
const reserved = ["/hls", "/uploads", "/avatars", "/.well-known", "/healthz", "/metrics"];

/**
 * Whether a request is the web app's to answer: a GET or HEAD that is not a
 * reserved path and not RPC-shaped. Connect GETs, gRPC and gRPC-Web all use
 * /<package>.<Service>/<Method>, a first segment with a dot and a second one.
 */
export function isAppRequest(method: string | undefined, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (reserved.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  const [first = "", ...rest] = path.slice(1).split("/");
  return !(first.includes(".") && rest.length > 0);
}
