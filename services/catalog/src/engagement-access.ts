import type { CallContext } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { VideoRow } from "./schema.ts";
import { requireId } from "./validation.ts";
import { notFound, type VideoRepository } from "./video-repository.ts";
import { isVisible } from "./visibility-rules.ts";

/** The signed-in user a call that changes something is made for. */
export function requireUser(context: CallContext): string {
  if (!context.callerId) throw new KinoError("unauthenticated", "this call needs a signed-in user");
  return context.callerId;
}

export function isAdmin(context: CallContext): boolean {
  return context.callerId !== undefined && context.callerRole === "admin";
}

/** The video a request names, if the caller may see it; NOT_FOUND otherwise, as GetVideo answers. */
export async function visibleVideo(videos: VideoRepository, rawId: string, callerId: string | undefined, field = "video_id"): Promise<VideoRow> {
  const id = requireId(rawId, field);
  const row = await videos.find(id);
  if (!row || !isVisible(row, callerId)) throw notFound(id);
  return row;
}

/** A comment or playlist id from a request: the same shape as video ids, refused without being echoed. */
export function requireEngagementId(raw: string, field: string): string {
  if (raw === "") throw new KinoError("invalid_argument", `${field} is required`);
  if (!/^[a-z0-9]{20}$/.test(raw)) throw new KinoError("invalid_argument", `${field} must be 20 characters of a-z and 0-9`);
  return raw;
}
