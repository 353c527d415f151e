/**
 * The app's Content-Security-Policy: its own scripts and styles only (no
 * inline code, no eval), media from the origin and from blob: URLs (hls.js
 * feeds MSE through them, and runs its transmuxer in a blob: worker), API
 * calls to itself and beacons to the collector when one is configured.
 * `publicBaseUrl` is where playback and upload URLs point, which may be
 * another origin than the page's (a CDN or API host).
 */
export function contentSecurityPolicy(options: { publicBaseUrl: string; collectorUrl: string | undefined }): string {
  const api = new URL(options.publicBaseUrl).origin;
  const collector = options.collectorUrl ? new URL(options.collectorUrl).origin : undefined;
  const sources = (...extra: (string | undefined)[]) => ["'self'", ...new Set(extra.filter((s): s is string => Boolean(s)))].join(" ");
  return [
    "default-src 'none'",
    `script-src 'self'`,
    `style-src 'self'`,
    `img-src ${sources(api, "blob:")}`,
    `media-src ${sources(api, "blob:")}`,
    `worker-src 'self' blob:`,
    `connect-src ${sources(api, collector)}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}
