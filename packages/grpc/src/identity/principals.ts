/**
 * The service identities Kino's processes sign their calls with. A service
 * names which of them may call each of its methods (its caller rules).
 */
export const principals = {
  /** The public door: acts for users and anonymous viewers; also the upload host and the origin. */
  gateway: "gateway",
  /** Transcoder hosts: move videos through processing. */
  transcoder: "transcoder",
  /** The analytics service: asks the catalog whether a user owns a video. */
  analytics: "analytics",
  /** The notification service: reads owners' email addresses from the auth service. */
  notify: "notify",
  /** The search service: reads a user's watch history from the catalog, for that user. */
  search: "search",
} as const;

export type Principal = (typeof principals)[keyof typeof principals];
