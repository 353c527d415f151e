/** The app's pages and the paths that show them. */
export type Route =
  | { page: "sign-in" }
  | { page: "sign-up" }
  | { page: "reset-password" }
  | { page: "library" }
  | { page: "upload" }
  | { page: "watch"; videoId: string }
  | { page: "settings" }
  | { page: "analytics"; videoId?: string }
  | { page: "search" }
  | { page: "notifications" }
  | { page: "admin" }
  | { page: "channel"; ownerId: string }
  | { page: "not-found" };

export function matchRoute(path: string): Route {
  const watch = /^\/watch\/([^/]+)\/?$/.exec(path);
  if (watch) return { page: "watch", videoId: decodeURIComponent(watch[1]!) };
  const channel = /^\/channel\/([^/]+)\/?$/.exec(path);
  if (channel) return { page: "channel", ownerId: decodeURIComponent(channel[1]!) };
  const analytics = /^\/analytics\/([^/]+)\/?$/.exec(path);
  if (analytics) return { page: "analytics", videoId: decodeURIComponent(analytics[1]!) };
  switch (path.replace(/\/$/, "") || "/") {
    case "/":
    case "/library":
      return { page: "library" };
    case "/sign-in":
      return { page: "sign-in" };
    case "/sign-up":
      return { page: "sign-up" };
    case "/reset-password":
      return { page: "reset-password" };
    case "/upload":
      return { page: "upload" };
    case "/settings":
      return { page: "settings" };
    case "/analytics":
      return { page: "analytics" };
    case "/search":
      return { page: "search" };
    case "/notifications":
      return { page: "notifications" };
    case "/admin":
      return { page: "admin" };
    default:
      return { page: "not-found" };
  }
}
