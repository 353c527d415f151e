import { StorageError } from "./errors.ts";

/**
 * Storage keys are built by code from ids, never from user text; these rules
 * make a key safe as both an S3 key and a relative path under a directory.
 */
const KEY_ROOTS = ["raw", "media", "uploads", "images"] as const;
export type KeyRoot = (typeof KEY_ROOTS)[number];

const MAX_KEY_LENGTH = 1024;
// NAME_MAX of common filesystems, so the local driver can store every valid key.
const MAX_SEGMENT_LENGTH = 255;
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function invalid(kind: string, value: string, rule: string): StorageError {
  const shown = value.length > 120 ? `${value.slice(0, 120)}…` : value;
  return new StorageError("invalid_key", `invalid storage ${kind} ${JSON.stringify(shown)}: ${rule}`);
}

function segmentProblem(segment: string): string | undefined {
  if (segment === "") return "empty segment";
  if (segment === "." || segment === "..") return `"${segment}" segment`;
  if (segment.length > MAX_SEGMENT_LENGTH) return `segment longer than ${MAX_SEGMENT_LENGTH} characters`;
  if (!SEGMENT.test(segment)) return `segment ${JSON.stringify(segment)} has characters outside [A-Za-z0-9._-]`;
  return undefined;
}

function checkPath(kind: string, value: unknown, path: string): void {
  if (typeof value !== "string") throw invalid(kind, String(value), "not a string");
  if (value === "") throw invalid(kind, value, "empty");
  if (value.length > MAX_KEY_LENGTH) throw invalid(kind, value, `longer than ${MAX_KEY_LENGTH} characters`);
  if (value.startsWith("/")) throw invalid(kind, value, "starts with /");
  if (value.includes("\\")) throw invalid(kind, value, "contains a backslash");
  const segments = path.split("/");
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) throw invalid(kind, value, problem);
  }
  if (!(KEY_ROOTS as readonly string[]).includes(segments[0] ?? "")) {
    throw invalid(kind, value, `first segment must be one of ${KEY_ROOTS.join(", ")}`);
  }
}

/** Throws StorageError "invalid_key" naming the key and the rule it breaks. */
export function validateKey(key: string): void {
  checkPath("key", key, key);
}

/** As validateKey, but a prefix may end with "/" (and its last segment may be partial). */
export function validatePrefix(prefix: string): void {
  checkPath("prefix", prefix, typeof prefix === "string" && prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}

function checkId(kind: string, id: string): void {
  if (typeof id !== "string" || !ID.test(id)) throw invalid(kind, String(id), "expected 1-64 characters of [A-Za-z0-9_-]");
}

function checkSegment(segment: string): void {
  const problem = segmentProblem(segment);
  if (problem) throw invalid("key segment", segment, problem);
}

function buildKey(root: KeyRoot, idKind: string, id: string, parts: readonly string[]): string {
  checkId(idKind, id);
  for (const part of parts) checkSegment(part);
  const key = [root, id, ...parts].join("/");
  validateKey(key);
  return key;
}

/** `raw/<videoId>/<file>`: the uploaded source of a video. */
export function rawKey(videoId: string, file: string): string {
  return buildKey("raw", "video id", videoId, [file]);
}

/** `media/<videoId>/<parts…>`: playlists, segments and thumbnails of a video. */
export function mediaKey(videoId: string, ...parts: [string, ...string[]]): string {
  return buildKey("media", "video id", videoId, parts);
}

/** `images/<ownerId>/<parts…>`: images of an account (its avatar), always as Kino re-encoded them. */
export function imageKey(ownerId: string, ...parts: [string, ...string[]]): string {
  return buildKey("images", "owner id", ownerId, parts);
}

/** `uploads/<uploadId>/<parts…>`: staging space of a resumable upload. */
export function uploadKey(uploadId: string, ...parts: [string, ...string[]]): string {
  return buildKey("uploads", "upload id", uploadId, parts);
}

/** `raw/<videoId>/`: for list and deleteByPrefix. */
export function rawPrefix(videoId: string): string {
  checkId("video id", videoId);
  return `raw/${videoId}/`;
}

/** `media/<videoId>/`: for list and deleteByPrefix. */
export function mediaPrefix(videoId: string): string {
  checkId("video id", videoId);
  return `media/${videoId}/`;
}

/** `uploads/<uploadId>/`: for list and deleteByPrefix. */
export function uploadPrefix(uploadId: string): string {
  checkId("upload id", uploadId);
  return `uploads/${uploadId}/`;
}
