import { MASTER_PLAYLIST_NAME, measureBandwidth, renderMasterPlaylist, renderMediaPlaylist, summariseAudioGroup, INIT_SEGMENT_NAME, MEDIA_PLAYLIST_NAME, type Rendition } from "@kino/media";
import { MPD_NAME, renderMpd, type DashRepresentation } from "@kino/dash";
import { RenditionState } from "@kino/proto/catalog/v1";
import { mediaKey } from "@kino/storage";
import { discardOutputs, tidyAttempts } from "../jobs/attempt-cleanup.ts";
import { describeCatalogError, isStateConflict } from "../jobs/catalog-errors.ts";
import { catalogCall, defer, handBack, type Delivery } from "../jobs/delivery.ts";
import type { JobOutcome } from "../jobs/job-outcome.ts";
import { renditionMessage } from "../jobs/publish-result.ts";
import type { ChunkState, RangeStore } from "./range-store.ts";
import type { RangeRecord } from "./chunk-plan.ts";
import { sliceKey } from "./slice-keys.ts";

/** The joined package of one rung: its playlist's segments and its rendition. */
interface JoinedRung {
  name: string;
  playlist: string;
  rendition: Rendition;
  dash: DashRepresentation;
  keep: Set<string>;
}

function joinRung(state: ChunkState, name: string): JoinedRung {
  const { plan } = state;
  const rung = plan.ladder.rungs.find((r) => r.name === name)!;
  const parts = (state.ranges as RangeRecord[]).map((record, index) => {
    const part = record.rungs.find((r) => r.name === name);
    if (!part) throw new Error(`range ${index} has no rung ${name}`);
    return part;
  });
  const init = parts[0]!.initSha256;
  const odd = parts.findIndex((p) => p.initSha256 !== init);
  // One init segment serves every range only if every host's encoder wrote the same parameter sets.
  if (odd !== -1) throw new Error(`range ${odd} of rung ${name} has another init segment than range 0: the hosts' encoders differ`);
  const segments = parts.flatMap((p) => p.segments);
  const targetSeconds = Math.max(1, Math.round(segments.reduce((max, s) => Math.max(max, s.durationSeconds), 0)));
  const video = measureBandwidth(segments, targetSeconds);
  const audio = summariseAudioGroup(plan.audio);
  const codecs = parts[0]!.codecs;
  return {
    name,
    playlist: renderMediaPlaylist(INIT_SEGMENT_NAME, segments.map((s) => ({ uri: s.file, durationSeconds: s.durationSeconds }))),
    rendition: {
      name,
      width: rung.width,
      height: rung.height,
      frameRate: plan.ladder.frameRate,
      bandwidth: video.peak + (audio?.bandwidth ?? 0),
      averageBandwidth: video.average + (audio?.averageBandwidth ?? 0),
      codecs: audio ? `${codecs},${audio.codecs}` : codecs,
    },
    dash: {
      id: name,
      bandwidth: video.peak,
      codecs,
      width: rung.width,
      height: rung.height,
      ...(plan.ladder.frameRate > 0 ? { frameRate: plan.ladder.frameRate } : {}),
      initUri: `${name}/${INIT_SEGMENT_NAME}`,
      segmentUris: segments.map((s) => `${name}/${s.file}`),
      timescale: parts[0]!.timescale,
      segments: segments.map((s) => ({ start: s.start, duration: s.ticks })),
    },
    keep: new Set([MEDIA_PLAYLIST_NAME, INIT_SEGMENT_NAME, ...segments.map((s) => s.file)]),
  };
}

const ready = (r: Rendition) => ({ ...renditionMessage(r), state: RenditionState.READY });

/**
 * Writes a chunked video's package from its recorded ranges: per rung one
 * playlist over the winners' segments (one init segment, continuous
 * timestamps, no discontinuity), the master naming the encoded ladder (and
 * a non-standard source's fast rung, the lowest), then MarkReady. Then it
 * removes what no playlist names (losing or killed attempts' segments), the
 * slices, and the store's record. Repeatable: a join redelivered after a
 * crash writes the same files, and MarkReady with the same output is a no-op.
 */
export async function joinRanges(delivery: Delivery, store: RangeStore, state: ChunkState): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  const { storage } = deps;
  const { plan } = state;
  const { videoId, outputId } = plan;
  let rungs: JoinedRung[];
  try {
    rungs = plan.ladder.rungs.map((r) => joinRung(state, r.name));
  } catch (error) {
    return failChunkedVideo(delivery, store, state, `the ranges cannot be joined: ${(error as Error).message}`);
  }
  const renditions = [...rungs.map((r) => r.rendition), ...(plan.fastRung ? [plan.fastRung] : [])];
  try {
    for (const rung of rungs) await storage.put(mediaKey(videoId, outputId, rung.name, MEDIA_PLAYLIST_NAME), Buffer.from(rung.playlist), { contentType: "application/vnd.apple.mpegurl" });
    // The MPD names the same files; media playlists first, then the manifests that name them.
    const dashVideo = [...rungs.map((r) => r.dash), ...(plan.dash.fastRung ? [plan.dash.fastRung] : [])];
    const mpd = renderMpd({ durationSeconds: plan.durationSeconds, video: dashVideo, audio: plan.dash.audio });
    await storage.put(mediaKey(videoId, outputId, MASTER_PLAYLIST_NAME), Buffer.from(renderMasterPlaylist(renditions, plan.audio, [])), { contentType: "application/vnd.apple.mpegurl" });
    await storage.put(mediaKey(videoId, outputId, MPD_NAME), Buffer.from(mpd), { contentType: "application/dash+xml" });
  } catch (error) {
    if (delivery.signal.aborted) return handBack(delivery);
    return defer(delivery, "could not store the joined playlists", error);
  }
  const aux = state.auxiliary!;
  try {
    await catalogCall(delivery, "mark the video ready", (timeoutMs) =>
      deps.lifecycle.markReady(
        { videoId, outputId, durationSeconds: plan.durationSeconds, renditions: renditions.map(ready), posterMissing: aux.posterMissing, hasStoryboard: aux.hasStoryboard, hasPreview: aux.hasPreview },
        { timeoutMs },
      ),
    );
  } catch (error) {
    if (isStateConflict(error)) {
      logger.info({ outputId, why: describeCatalogError(error) }, "the video is gone or plays from another attempt; removing this output");
      await cleanUp(delivery, store, state, undefined);
      await discardOutputs(delivery, videoId, outputId);
      message.ack();
      return "superseded";
    }
    if (delivery.signal.aborted) return handBack(delivery);
    return defer(delivery, "the catalog refused the joined outputs", error);
  }
  await cleanUp(delivery, store, state, rungs);
  await tidyAttempts(delivery, videoId, outputId);
  message.ack();
  logger.info({ outputId, ranges: state.ranges.length, renditions: renditions.map((r) => r.name) }, "chunked video joined; ready");
  for (const warning of aux.warnings) {
    logger.warn({ outputId, output: warning.output, warning: warning.message }, "video published without an auxiliary output");
    deps.metrics.auxiliaryOutputMissing(warning.output);
  }
  return "ready";
}

/** Best effort: what is left is only storage, never served (no playlist names it). */
async function cleanUp(delivery: Delivery, store: RangeStore, state: ChunkState, rungs: JoinedRung[] | undefined): Promise<void> {
  const { storage } = delivery.deps;
  const { videoId, outputId } = state.plan;
  try {
    for (const rung of rungs ?? []) {
      const folder = `${mediaKey(videoId, outputId, rung.name, MEDIA_PLAYLIST_NAME).slice(0, -MEDIA_PLAYLIST_NAME.length)}`;
      for await (const item of storage.list(folder)) {
        if (!rung.keep.has(item.key.slice(folder.length))) await storage.delete(item.key);
      }
    }
    for (const range of state.plan.ranges) await storage.delete(sliceKey(videoId, outputId, range.index));
    await store.remove(videoId, outputId);
  } catch (error) {
    delivery.logger.warn({ err: error, outputId }, "could not remove a chunked video's leftovers");
  }
}

/** The video FAILED with `reason`; every output of the attempt goes (a failed video is served from nothing). */
export async function failChunkedVideo(delivery: Delivery, store: RangeStore, state: ChunkState, reason: string): Promise<JobOutcome> {
  const { deps, message } = delivery;
  const { videoId, outputId } = state.plan;
  try {
    await catalogCall(delivery, "mark the video failed", (timeoutMs) => deps.lifecycle.markFailed({ videoId, reason }, { timeoutMs })).catch((error: unknown) => {
      if (!isStateConflict(error)) throw error;
    });
  } catch (error) {
    if (delivery.signal.aborted) return handBack(delivery);
    return defer(delivery, "could not record the video's failure", error);
  }
  delivery.logger.warn({ reason, outputId }, "chunked video failed");
  await cleanUp(delivery, store, state, undefined);
  await discardOutputs(delivery, videoId, outputId);
  message.term();
  return "failed";
}
