import type { Logger } from "@kino/platform";
import type { TranscoderConfig } from "./config.ts";
import type { JobHooks } from "./jobs/delivery.ts";
import type { Publication } from "./pool/job.ts";
import { startTranscoderHost, type RunningTranscoder } from "./transcoder.ts";

export type { JobHooks } from "./jobs/delivery.ts";
export type { Publication } from "./pool/job.ts";

/** A transcoder host whose jobs call `hooks`: for tests, never for production. */
export function startTranscoderWithHooks(config: TranscoderConfig, logger: Logger, hooks: JobHooks): Promise<RunningTranscoder> {
  return startTranscoderHost(config, logger, hooks);
}

export interface PublicationGate {
  hooks: JobHooks;
  /** Resolves with a video's first publication, once the catalog has taken it; its ladder waits meanwhile. */
  published(videoId: string): Promise<Publication>;
  /** Lets that video's job encode on. */
  release(videoId: string): void;
  /** Lets every held job go on (for teardown). */
  releaseAll(): void;
}

/**
 * Holds each job right after its first publication, until the test has
 * looked at the playable video and releases it: the playable state before
 * any encoded rung exists is then observed deterministically, not raced.
 */
export function publicationGate(): PublicationGate {
  const seen = new Map<string, { publication: Promise<Publication>; announce(p: Publication): void }>();
  const held = new Map<string, () => void>();
  const entry = (videoId: string) => {
    let found = seen.get(videoId);
    if (!found) {
      let announce!: (p: Publication) => void;
      const publication = new Promise<Publication>((resolve) => (announce = resolve));
      found = { publication, announce };
      seen.set(videoId, found);
    }
    return found;
  };
  return {
    hooks: {
      afterPublish(publication) {
        const waiting = new Promise<void>((resolve) => held.set(publication.videoId, resolve));
        entry(publication.videoId).announce(publication);
        return waiting;
      },
    },
    published: (videoId) => entry(videoId).publication,
    release(videoId) {
      held.get(videoId)?.();
      held.delete(videoId);
    },
    releaseAll() {
      for (const release of held.values()) release();
      held.clear();
    },
  };
}
