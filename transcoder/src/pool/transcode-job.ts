import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { silentLogger, type Logger } from "@kino/platform";
import type { Storage } from "@kino/storage";
import {
  audioTreatments,
  cutSourceSlice,
  DEFAULT_SEGMENT_SECONDS,
  DOWNLOAD_NAME,
  encodeRungs,
  makeDownloadMp4,
  MASTER_PLAYLIST_NAME,
  planPublication,
  POSTER_NAME,
  posterOutput,
  PREVIEW_NAME,
  previewOutput,
  produceAuxiliaryOutputs,
  startPassthroughRemux,
  renderMasterPlaylist,
  sameBoundaries,
  STORYBOARD_NAME,
  storyboardOutput,
  type FinishedAudioTrack,
  type FinishedRendition,
  type IFrameVariant,
  type LadderRung,
  type PassthroughRemux,
  type PublicationPlan,
} from "@kino/media";
import { encryptTrack } from "@kino/media";
import { dashAudioGroups, dashVideoRepresentation, MPD_NAME, writeDashManifest } from "../outputs/dash-manifest.ts";
import { writeIFramePlaylist } from "../outputs/iframe-playlists.ts";
import { deleteOutputs, uploadOutputs } from "../outputs/upload-outputs.ts";
import type { JobProgress, Publication, PublishedRendition, SplitJobResult, TranscodeJob, TranscodeJobResult } from "./job.ts";
import { measureLadderQuality } from "./ladder-quality.ts";
import { makeScratchDir } from "./scratch-dir.ts";
import { planRanges, type ChunkPlan } from "../ranges/chunk-plan.ts";
import { sliceKey } from "../ranges/slice-keys.ts";

export interface RunTranscodeJobOptions {
  storage: Storage;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** Where the job's scratch directory is made; the OS temp dir by default. */
  tempRoot?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  logger?: Logger;
  /**
   * Offers a playable master playlist (already uploaded) to the catalog;
   * rejects when another attempt owns the video. The job waits for it
   * before encoding on. Without it, the job publishes only at its end.
   */
  publish?: (publication: Publication) => Promise<void>;
  /**
   * Takes a chunked video's plan once its slices are stored: records it and
   * queues its ranges. Without it (or without `job.rangeSeconds`) a job
   * never splits.
   */
  split?: (plan: ChunkPlan) => Promise<void>;
}

/** A passthrough is published once this much of it (or all of it) is stored: hls.js buffers 30 s ahead by default, so a player starting then never asks for a segment still on its way. */
export const PUBLISH_AHEAD_SECONDS = 30;

/** The preset of a non-standard source's first rung: published fast, before the rest of the ladder. */
export const FAST_RUNG_PRESET = "ultrafast";
// Shares of the encode progress: a fast first rung is a small part of the work.
const FAST_RUNG_SHARE = 0.2;

/** Reports whole-percent steps only, so a fast download does not flood the port. */
function byteCounter(total: number, report: (percent: number) => void): Transform {
  let seen = 0;
  let lastPercent = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      const percent = total > 0 ? Math.floor((seen / total) * 100) : 0;
      if (percent !== lastPercent) {
        lastPercent = percent;
        report(percent);
      }
      callback(null, chunk);
    },
  });
}

/** `720p/index.m3u8` → `720p`: the track's folder in the package. */
function trackDirOf(playlist: string): string {
  return playlist.slice(0, playlist.lastIndexOf("/"));
}

/** A rung made and read back, and the files it adds to the package. */
interface Landed {
  finished: FinishedRendition;
  passthrough: boolean;
}

function rungFiles(landed: readonly Landed[], skip: ReadonlySet<string>): string[] {
  return landed.filter((l) => !skip.has(l.finished.rendition.name)).flatMap((l) => l.finished.files);
}

/** Segment starts from segment durations, the first at `from`. */
function startsOf(durations: readonly number[], from: number): number[] {
  const starts = [from];
  for (const d of durations.slice(0, -1)) starts.push(starts.at(-1)! + d);
  return starts;
}

function planned(rung: LadderRung, frameRate: number): PublishedRendition {
  return { name: rung.name, width: rung.width, height: rung.height, frameRate, bandwidth: 0, averageBandwidth: 0, codecs: "", state: "encoding" };
}

/**
 * A whole job on this host: fetch the source, make it playable as soon as
 * possible, then encode and publish the rest of the ladder, under a prefix
 * of its own, leaving no scratch files behind whether it succeeds, fails or
 * is aborted. A standard source (see assessPassthrough) is first remuxed
 * into the passthrough rung; any other gets its lowest rung at a fast
 * preset first. Either is uploaded with a master naming it and offered to
 * `publish`; the rest of the ladder follows from one decode, every rung
 * keyed at the first rung's segment starts, and the final master lists the
 * encoded ladder alone.
 */
export function runTranscodeJob(job: Omit<TranscodeJob, "storage">, options: RunTranscodeJobOptions & { split?: undefined }): Promise<TranscodeJobResult>;
export function runTranscodeJob(job: Omit<TranscodeJob, "storage">, options: RunTranscodeJobOptions): Promise<TranscodeJobResult | SplitJobResult>;
export async function runTranscodeJob(job: Omit<TranscodeJob, "storage">, options: RunTranscodeJobOptions): Promise<TranscodeJobResult | SplitJobResult> {
  const { storage, signal } = options;
  const logger = (options.logger ?? silentLogger()).child({ videoId: job.videoId, outputId: job.outputId });
  const report = options.onProgress ?? (() => {});
  const alreadyPublished = new Set(job.publishedRenditions ?? []);
  const scratch = await makeScratchDir(options.tempRoot ?? tmpdir());
  // A passthrough may still be written (and stored) while the ladder encodes: both end before the scratch directory goes.
  const remuxStop = new AbortController();
  const firstRungFailed = new AbortController();
  let remuxDone: Promise<void> | undefined;
  let passthroughStored: Promise<void> | undefined;
  try {
    // The local name is ours: nothing the uploader chose reaches a path or an ffmpeg argument.
    const sourcePath = join(scratch, "source");
    const outDir = join(scratch, "out");
    await mkdir(outDir);

    report({ stage: "download", percent: 0 });
    const source = await storage.get(job.sourceKey);
    await pipeline(source.body, byteCounter(source.info.size, (percent) => report({ stage: "download", percent })), createWriteStream(sourcePath), { signal });
    logger.info({ bytes: source.info.size }, "source downloaded");

    const tools = { ffmpegPath: options.ffmpegPath, signal };
    const publication: PublicationPlan = await planPublication(sourcePath, { ...tools, ffprobePath: options.ffprobePath });
    const { probe, plan } = publication;
    const encodeProgress = (from: number, share: number) => (event: { percent?: number; speed?: number; fps?: number }) =>
      report({
        stage: "encode",
        ...(event.percent !== undefined ? { percent: from + event.percent * share } : {}),
        ...(event.speed !== undefined ? { speed: event.speed } : {}),
        ...(event.fps !== undefined ? { fps: event.fps } : {}),
      });
    // The first rung's upload is a moment of the encode stage; the upload stage is the finished ladder's.
    const upload = (files: string[], reporting: boolean, ready?: (file: string) => Promise<void>) =>
      uploadOutputs({
        storage,
        videoId: job.videoId,
        outputId: job.outputId,
        localDir: outDir,
        files,
        signal,
        ...(ready ? { ready } : {}),
        ...(reporting ? { onFileUploaded: (done: number, total: number) => report({ stage: "upload", percent: (done / total) * 100 }) } : {}),
      });
    const mediaSeconds = (finished: FinishedRendition) => (probe.durationSeconds > 0 ? probe.durationSeconds : finished.segmentDurations.reduce((sum, d) => sum + d, 0));
    // The audio group: made once, with the first rung (or the ladder), shared by every rung.
    let audio: FinishedAudioTrack[] = [];
    /**
     * The HLS master (with each rung's I-frame playlist) and the DASH
     * manifest over the same files, always written (and uploaded) together.
     * Resolves with the I-frame playlists to upload with the rungs: those
     * of rungs an earlier delivery did not publish (a published one's
     * ranges point into the files already served, which stay as they are).
     */
    const contentKey = job.contentKey;
    const manifestFiles = contentKey ? [MASTER_PLAYLIST_NAME] : [MASTER_PLAYLIST_NAME, MPD_NAME];
    const writeManifests = async (landed: readonly Landed[]): Promise<string[]> => {
      const iFrames: IFrameVariant[] = [];
      const iFrameFiles: string[] = [];
      if (contentKey) {
        // Every track is sealed before any playlist naming it is written (encryptTrack never seals one twice).
        // No I-frame playlists (their byte ranges point inside whole-segment-encrypted files) and no MPD (it cannot say AES-128).
        for (const track of [...landed.map((l) => l.finished.playlist), ...audio.map((a) => a.playlist)]) await encryptTrack(outDir, trackDirOf(track), contentKey);
        await writeFile(join(outDir, MASTER_PLAYLIST_NAME), renderMasterPlaylist(landed.map((l) => l.finished.rendition), audio.map((a) => a.rendition), []));
        return [];
      }
      for (const l of landed) {
        // Scrubbing is an extra, like the poster: a rung whose boxes cannot be read plays without one.
        const written = await writeIFramePlaylist(outDir, l.finished).catch((error: unknown) => {
          logger.warn({ err: error, rung: l.finished.rendition.name }, "no I-frame playlist for this rung; the master lists it without one");
          return undefined;
        });
        if (!written) continue;
        iFrames.push(written.variant);
        // A passthrough is stored again whole on a redelivery (the same bytes): its I-frame playlist with it.
        if (!alreadyPublished.has(l.finished.rendition.name) || l.passthrough) iFrameFiles.push(written.file);
      }
      await writeFile(join(outDir, MASTER_PLAYLIST_NAME), renderMasterPlaylist(landed.map((l) => l.finished.rendition), audio.map((a) => a.rendition), iFrames));
      await writeDashManifest(outDir, { durationSeconds: mediaSeconds(landed[0]!.finished), video: landed.map((l) => l.finished), audio });
      return iFrameFiles;
    };
    // The first publication uploads the audio group; a rung published before means it is there already.
    const audioFiles = () => (alreadyPublished.size > 0 ? [] : audio.flatMap((a) => a.files));

    /** Offers the first rung, ready and alone, beside the rungs still encoding, and waits for the catalog to take it. */
    const offerFirst = async (first: Landed, encoding: readonly LadderRung[]): Promise<void> => {
      const readyRung: PublishedRendition = { ...first.finished.rendition, state: "ready", ...(first.passthrough ? { passthrough: true } : {}) };
      const rest = encoding.map((rung) => planned(rung, plan.frameRate));
      // Highest first, as the ladder is listed: a passthrough tops it, a fast low rung ends it.
      const renditions = first.passthrough ? [readyRung, ...rest] : [...rest, readyRung];
      logger.info({ first: first.finished.rendition.name, passthrough: first.passthrough }, "first rung uploaded; publishing");
      await options.publish?.({ videoId: job.videoId, outputId: job.outputId, durationSeconds: mediaSeconds(first.finished), renditions });
    };

    /** Uploads the first rung whole and a master naming it alone, then offers it. */
    async function publishFirst(first: Landed, encoding: readonly LadderRung[]): Promise<void> {
      const iFrameFiles = await writeManifests([first]);
      await upload([...rungFiles([first], alreadyPublished), ...iFrameFiles, ...audioFiles(), ...manifestFiles], false);
      await offerFirst(first, encoding);
    }

    /**
     * Publishes a passthrough while it is still being written: of the rung
     * and of each audio track, the init segment, the segments of the first
     * PUBLISH_AHEAD_SECONDS and the media playlist (the rung's planned from
     * the keyframe scan, so it lists every segment) are stored, then a
     * master naming the passthrough alone, and the catalog is offered it.
     * The other segments, then the rung's I-frame playlist, the DASH
     * manifest and the master naming the I-frame playlist, are stored by
     * the promise returned, which the job awaits before its own. A
     * redelivery stores every passthrough file again: the remux writes the
     * same bytes, and the earlier attempt may have stopped half way.
     */
    async function publishWhileWriting(remux: PassthroughRemux, first: Landed, encoding: readonly LadderRung[]): Promise<{ stored: Promise<void> }> {
      const own = new Set(remux.rendition.files);
      const ready = (file: string) => (own.has(file) ? remux.written(file) : Promise.resolve());
      // Each track's playlist, init segment and first segments before the master; its other segments while the catalog answers.
      const head: string[] = [];
      const tail: string[] = [];
      const tracks = [remux.rendition, ...audio];
      for (const { files, segmentDurations } of tracks) {
        const [playlist, init, ...segments] = files;
        let ahead = 0;
        for (let covered = 0; ahead < segments.length && covered < PUBLISH_AHEAD_SECONDS; ahead++) covered += segmentDurations[ahead]!;
        head.push(playlist!, init!, ...segments.slice(0, ahead));
        tail.push(...segments.slice(ahead));
      }
      await writeFile(join(outDir, MASTER_PLAYLIST_NAME), renderMasterPlaylist([first.finished.rendition], audio.map((a) => a.rendition), []));
      await upload([...head, MASTER_PLAYLIST_NAME], false, ready);
      // The rest is stored while the catalog is asked: it needs no answer, and a refused attempt's files go with the attempt.
      const rest = (async () => {
        await upload(tail, false, ready);
        await remux.done;
        // Read from the whole rung: its I-frame playlist, named by the master republished with the DASH manifest.
        const iFrameFiles = await writeManifests([first]);
        await upload([...iFrameFiles, ...manifestFiles], false);
        logger.info({ files: head.length + tail.length }, "passthrough stored whole");
      })();
      // Awaited by the job; a failure meanwhile stops the ladder through firstRungFailed.
      rest.catch((error: unknown) => firstRungFailed.abort(error));
      await offerFirst(first, encoding);
      return { stored: rest };
    }

    let first: Landed | undefined;
    let remaining: readonly LadderRung[] = plan.rungs;
    let keyframeTimes: readonly number[] | undefined;
    let progressFrom = 0;
    let progressShare = 1;
    if (publication.passthrough.ok) {
      const remux = await startPassthroughRemux({
        input: sourcePath, probe, tracks: plan.audio, audio: publication.passthrough.audio, outDir, segmentSeconds: job.segmentSeconds, scan: publication.scan,
        ...tools, signal: AbortSignal.any([...(signal ? [signal] : []), remuxStop.signal]),
      });
      remuxDone = remux.done;
      remuxDone.catch(() => undefined);
      first = { finished: remux.rendition, passthrough: true };
      audio = remux.rendition.audio;
      keyframeTimes = remux.rendition.boundaries;
      if (contentKey) {
        // Every track is sealed before a playlist names it: a protected passthrough is published whole.
        await remux.done;
        await publishFirst(first, remaining);
      } else {
        passthroughStored = (await publishWhileWriting(remux, first, remaining)).stored;
      }
    } else if (plan.rungs.length > 1) {
      logger.info({ why: publication.passthrough.why }, "not a standard source: a fast first rung before the ladder");
      const lowest = plan.rungs.at(-1)!;
      // The audio group by a process of its own: beside a picture this cheap, encoding it in the same process would add most of its time again.
      const fast = await encodeRungs({ input: sourcePath, plan, rungs: [lowest], audio: { alone: audioTreatments(probe) }, outDir, preset: FAST_RUNG_PRESET, segmentSeconds: job.segmentSeconds, durationSeconds: probe.durationSeconds, ...tools, onProgress: encodeProgress(0, FAST_RUNG_SHARE) });
      first = { finished: fast.rungs[0]!, passthrough: false };
      audio = fast.audio;
      remaining = plan.rungs.slice(0, -1);
      [progressFrom, progressShare] = [FAST_RUNG_SHARE * 100, 1 - FAST_RUNG_SHARE];
      await publishFirst(first, remaining);
    }

    // Auxiliary outputs come from the source, not the ladder: made alongside it, they cost no wall time.
    const auxiliaryOutputs = [
      posterOutput({ input: sourcePath, video: probe.video, plan, ffmpegPath: options.ffmpegPath }),
      storyboardOutput({ input: sourcePath, plan, durationSeconds: probe.durationSeconds > 0 ? probe.durationSeconds : probe.video.durationSeconds, ffmpegPath: options.ffmpegPath }),
      previewOutput({ input: sourcePath, video: probe.video, plan, ffmpegPath: options.ffmpegPath }),
    ];

    // A long source with a first rung published is split: its ranges are encoded by any host, and this job makes the rest.
    const segmentStarts = first && first.passthrough ? [publication.scan.keyframes[0] ?? 0, ...(keyframeTimes ?? [])] : first ? startsOf(first.finished.segmentDurations, probe.video.offsetSeconds) : [];
    const rangeSeconds = job.rangeSeconds ?? 0;
    // Slices are Matroska, which keeps no rotation in ffmpeg 5.1: a rotated source is encoded whole, where ffmpeg turns it on decode.
    const splittable = options.split && rangeSeconds > 0 && !contentKey && !job.download && probe.video.rotation === 0 && remaining.length > 0;
    const ranges =
      first && splittable && mediaSeconds(first.finished) >= Math.max(2 * rangeSeconds, job.splitMinSeconds ?? 0)
        ? planRanges(segmentStarts, segmentStarts[0]! + mediaSeconds(first.finished), rangeSeconds)
        : [];
    if (first && options.split && ranges.length > 1) {
      await passthroughStored;
      const slices = join(scratch, "slices");
      await mkdir(slices);
      for (const range of ranges) {
        const file = join(slices, `${range.index}.mkv`);
        await cutSourceSlice({ input: sourcePath, streamIndex: probe.video.index, start: range.start, end: range.end, outFile: file, ...tools });
        await storage.put(sliceKey(job.videoId, job.outputId, range.index), createReadStream(file), { contentType: "video/x-matroska" });
      }
      await options.split({
        videoId: job.videoId,
        outputId: job.outputId,
        durationSeconds: mediaSeconds(first.finished),
        sourceStartSeconds: probe.startSeconds ?? 0,
        segmentSeconds: job.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS,
        ...(job.preset ? { preset: job.preset } : {}),
        ladder: { ...plan, rungs: [...remaining], audio: [] },
        ...(first.passthrough ? {} : { fastRung: first.finished.rendition }),
        audio: audio.map((a) => a.rendition),
        dash: {
          audio: await dashAudioGroups(outDir, audio),
          ...(first.passthrough ? {} : { fastRung: await dashVideoRepresentation(outDir, first.finished) }),
        },
        ranges,
      });
      logger.info({ ranges: ranges.length }, "split into ranges; making the auxiliary outputs here");
      const reports = await produceAuxiliaryOutputs(auxiliaryOutputs, { dir: outDir, logger, ...(signal ? { signal } : {}) });
      const auxiliaryFiles = reports.flatMap((r) => ("files" in r ? r.files : []));
      const uploaded = await upload(auxiliaryFiles, false);
      const missing = new Set(reports.flatMap((r) => ("missing" in r ? [r.output] : [])));
      return {
        split: true,
        videoId: job.videoId,
        outputId: job.outputId,
        keys: uploaded.keys,
        auxiliary: {
          posterMissing: missing.has("poster"),
          hasStoryboard: auxiliaryFiles.includes(STORYBOARD_NAME),
          hasPreview: auxiliaryFiles.includes(PREVIEW_NAME),
          warnings: reports.flatMap((r) => ("missing" in r ? [{ output: r.output, message: r.warning }] : [])),
        },
      };
    }

    const ladderFailed = new AbortController();
    const auxiliary = produceAuxiliaryOutputs(auxiliaryOutputs, {
      dir: outDir,
      logger,
      signal: signal ? AbortSignal.any([signal, ladderFailed.signal]) : ladderFailed.signal,
    });
    // Awaited below; stopped with the job, it may reject while the ladder is still winding down.
    auxiliary.catch(() => undefined);
    let encoded: FinishedRendition[];
    try {
      const ladderOut = await encodeRungs({
        input: sourcePath,
        plan,
        rungs: remaining,
        audio: first ? audio : "encode",
        outDir,
        preset: job.preset,
        segmentSeconds: job.segmentSeconds,
        ...(keyframeTimes ? { keyframeTimes } : {}),
        durationSeconds: probe.durationSeconds,
        ...tools,
        signal: AbortSignal.any([...(signal ? [signal] : []), firstRungFailed.signal]),
        onProgress: encodeProgress(progressFrom, progressShare),
      });
      encoded = ladderOut.rungs;
      audio = ladderOut.audio;
      await passthroughStored;
    } catch (error) {
      // Nothing may still write into the scratch directory once this rejects: the caller removes it.
      ladderFailed.abort(error);
      await auxiliary.catch(() => undefined);
      throw error;
    }
    const reports = await auxiliary;
    const ladder: Landed[] = [...encoded.map((finished) => ({ finished, passthrough: false })), ...(first && !first.passthrough ? [first] : [])];
    const reference = (first ?? ladder[0]!).finished.segmentDurations;
    if (!ladder.every((l) => sameBoundaries(l.finished.segmentDurations, reference))) {
      // Players switch rungs at segment boundaries; misaligned ones cause visible jumps.
      logger.warn({ boundaries: [first, ...ladder].map((l) => l && { name: l.finished.rendition.name, durations: l.finished.segmentDurations }) }, "segment boundaries differ between rungs");
    }
    // Before writeManifests, which seals a protected video's tracks (and a protected video never asks for a download).
    let download: { sizeBytes: number } | { failure: string } | undefined;
    if (job.download) {
      const defaultAudio = audio.find((a) => a.rendition.isDefault) ?? audio[0];
      const tracks = { video: ladder[0]!.finished.playlist, ...(defaultAudio ? { audio: defaultAudio.playlist } : {}) };
      download = contentKey
        ? { failure: "a protected video has no MP4 download" }
        : await makeDownloadMp4({ dir: outDir, tracks, outFile: join(outDir, DOWNLOAD_NAME), ...tools }).then(
            (sizeBytes) => ({ sizeBytes }),
            (error: unknown) => {
              signal?.throwIfAborted();
              logger.warn({ err: error }, "no MP4 download; the video is published without it");
              return { failure: `the MP4 download could not be made: ${(error as Error).message ?? String(error)}` };
            },
          );
    }
    const iFrameFiles = await writeManifests(ladder);
    // The quality report reads the rungs' local files (decrypting sealed ones) while they upload: CPU beside I/O.
    const qualityStopped = new AbortController();
    const quality = measureLadderQuality({
      input: sourcePath,
      plan,
      outDir,
      rungs: ladder.map((l) => l.finished),
      workDir: join(scratch, "quality"),
      ...(contentKey ? { contentKey } : {}),
      ffmpegPath: options.ffmpegPath,
      signal: signal ? AbortSignal.any([signal, qualityStopped.signal]) : qualityStopped.signal,
      logger,
    });
    // It rejects only when stopped; awaited below, but an abort during the upload must not be an unhandled rejection.
    quality.catch(() => undefined);
    const auxiliaryFiles = reports.flatMap((r) => ("files" in r ? r.files : []));
    const downloadFiles = download && "sizeBytes" in download ? [DOWNLOAD_NAME] : [];
    const files = [...manifestFiles, ...rungFiles(ladder, alreadyPublished), ...iFrameFiles, ...(first ? [] : audioFiles()), ...auxiliaryFiles, ...downloadFiles];
    report({ stage: "upload", percent: 0 });
    const uploaded = await upload(files, true).catch(async (error: unknown) => {
      qualityStopped.abort(error);
      await quality.catch(() => undefined);
      // Nothing was ever served from an unpublished prefix; a published one is the catalog's until the job ends.
      if (!first) {
        await deleteOutputs(storage, job.videoId, job.outputId).catch((cleanupError: unknown) =>
          logger.warn({ err: cleanupError }, "could not remove a partly uploaded package; its prefix must be cleaned up later"),
        );
      }
      throw error;
    });
    logger.info({ prefix: uploaded.prefix, files: uploaded.keys.length }, "outputs published");

    const keyOf = (file: string) => uploaded.keys[files.indexOf(file)];
    const posterKey = keyOf(POSTER_NAME);
    const storyboardKey = keyOf(STORYBOARD_NAME);
    const previewKey = keyOf(PREVIEW_NAME);
    const { reports: qualities, warning: qualityWarning } = await quality;
    const renditions = ladder.map(({ finished: { rendition } }) => {
      const measured = qualities.get(rendition.name);
      return measured ? { ...rendition, quality: measured } : rendition;
    });
    return {
      videoId: job.videoId,
      outputId: job.outputId,
      prefix: uploaded.prefix,
      masterKey: keyOf(MASTER_PLAYLIST_NAME)!,
      ...(posterKey ? { posterKey } : {}),
      ...(storyboardKey ? { storyboardKey } : {}),
      ...(previewKey ? { previewKey } : {}),
      durationSeconds: mediaSeconds(ladder[0]!.finished),
      renditions,
      keys: uploaded.keys,
      warnings: [
        ...reports.flatMap((r) => ("missing" in r ? [{ output: r.output, message: r.warning }] : [])),
        ...(qualityWarning ? [{ output: "quality", message: qualityWarning }] : []),
      ],
      ...(download ? { download: "sizeBytes" in download ? { key: keyOf(DOWNLOAD_NAME)!, sizeBytes: download.sizeBytes } : download } : {}),
    };
  } finally {
    remuxStop.abort(new Error("the job ended"));
    await remuxDone?.catch(() => undefined);
    await passthroughStored?.catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}
