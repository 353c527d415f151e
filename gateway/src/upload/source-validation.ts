import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SourceInfoSchema } from "@kino/proto/media/v1";

export type SourceInfoInit = MessageInitShape<typeof SourceInfoSchema>;

/** A file either is a playable video, described, or is refused with words a person understands. */
export type SourceVerdict = { ok: true; source: SourceInfoInit } | { ok: false; reason: string };

/** Judges a finished upload on disk (ffprobe in production); throws only when it cannot judge at all. */
export type ValidateSource = (path: string) => Promise<SourceVerdict>;
