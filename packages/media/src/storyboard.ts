import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AuxiliaryOutput } from "./auxiliary-output.ts";
import type { LadderPlan } from "./ladder.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

/** The thumbnails track, at the package root; its cues name sheets in STORYBOARD_DIR. */
export const STORYBOARD_NAME = "storyboard.vtt";
export const STORYBOARD_DIR = "storyboard";

/** However long the video, at most this many tiles: the work is one decode and this many small JPEGs. */
export const MAX_STORYBOARD_TILES = 200;
/** Tiles per sheet side: a sheet holds at most 10×10 tiles, so a long video has a few sheets. */
export const STORYBOARD_GRID = 10;
/** A tile's longer side, in pixels. */
export const STORYBOARD_TILE_SIZE = 160;

/** Seconds between tiles: one a second, or fewer for a long video so that no more than MAX_STORYBOARD_TILES are made. */
export function storyboardIntervalSeconds(durationSeconds: number): number {
  if (!(durationSeconds > 0)) return 1;
  return Math.max(1, Math.ceil(durationSeconds / MAX_STORYBOARD_TILES));
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

/** A tile's size, the top rung's shape (already upright) within a STORYBOARD_TILE_SIZE square. */
export function storyboardTileSize(width: number, height: number): { width: number; height: number } {
  const scale = STORYBOARD_TILE_SIZE / Math.max(width, height);
  return { width: even(width * scale), height: even(height * scale) };
}

export interface StoryboardLayout {
  intervalSeconds: number;
  /** Tiles on the sheets (ffmpeg's extra one past the end left off). */
  used: number;
  tile: { width: number; height: number };
  columns: number;
  rows: number;
  /** Sheet files, relative to the package root. */
  sheets: string[];
  vtt: string;
}

function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * Lays `tiles` tiles (made every intervalSeconds from 0) on sheets and
 * writes the WebVTT thumbnails track: one cue per tile, each from its time
 * to the next tile's, the last to the end of the video, so the cues cover
 * [0, duration] with no gap whatever count ffmpeg's fps filter produced.
 */
export function layOutStoryboard(tiles: number, durationSeconds: number, intervalSeconds: number, tile: { width: number; height: number }): StoryboardLayout {
  if (tiles < 1) throw new RangeError("a storyboard needs at least one tile");
  // A tile past the end (the fps filter rounds the last frame up) would make a cue after the end.
  const used = durationSeconds > 0 ? Math.max(1, Math.min(tiles, Math.ceil(durationSeconds / intervalSeconds - 1e-6))) : tiles;
  const end = durationSeconds > 0 ? durationSeconds : used * intervalSeconds;
  const columns = Math.min(STORYBOARD_GRID, used);
  const rows = Math.min(STORYBOARD_GRID, Math.ceil(used / columns));
  const perSheet = columns * rows;
  const sheets = Array.from({ length: Math.ceil(used / perSheet) }, (_, i) => `${STORYBOARD_DIR}/sheet-${String(i).padStart(2, "0")}.jpg`);
  const cues: string[] = [];
  for (let i = 0; i < used; i++) {
    const start = i * intervalSeconds;
    const stop = i === used - 1 ? end : (i + 1) * intervalSeconds;
    const within = i % perSheet;
    const x = (within % columns) * tile.width;
    const y = Math.floor(within / columns) * tile.height;
    cues.push(`${timestamp(start)} --> ${timestamp(stop)}\n${sheets[Math.floor(i / perSheet)]}#xywh=${x},${y},${tile.width},${tile.height}`);
  }
  return { intervalSeconds, used, tile, columns, rows, sheets, vtt: `WEBVTT\n\n${cues.join("\n\n")}\n` };
}

export interface StoryboardOptions {
  input: string;
  plan: LadderPlan;
  /** Of the picture; the cues end there. */
  durationSeconds: number;
  ffmpegPath?: string;
}

/**
 * The storyboard as an auxiliary output: ffmpeg decodes the picture once
 * and keeps a small JPEG tile every interval; a second ffmpeg lays them on
 * sheets (JPEG), and the WebVTT track (`storyboard.vtt`, `#xywh=` cues, as
 * Mux and PeerTube serve) is written last, so it exists only when its
 * sheets do.
 */
export function storyboardOutput(options: StoryboardOptions): AuxiliaryOutput {
  const top = options.plan.rungs[0];
  if (!top) throw new RangeError("a storyboard needs a ladder with at least one rung");
  const interval = storyboardIntervalSeconds(options.durationSeconds);
  const tile = storyboardTileSize(top.width, top.height);
  const make = async (path: string, signal?: AbortSignal): Promise<string[]> => {
    const packageDir = dirname(path);
    const tilesDir = join(packageDir, ".storyboard-tiles");
    await rm(tilesDir, { recursive: true, force: true });
    await mkdir(tilesDir, { recursive: true });
    try {
      const filters = [...(options.plan.deinterlace ? ["yadif=deint=interlaced"] : []), `fps=1/${interval}`, `scale=${tile.width}:${tile.height}`, "setsar=1"];
      await runFfmpeg({
        args: [
          "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
          ...untrustedInputOptions(),
          "-i", options.input,
          "-map", `0:${options.plan.videoStreamIndex}`, "-an", "-sn", "-vf", filters.join(","),
          "-frames:v", String(MAX_STORYBOARD_TILES), "-q:v", "5", "-map_metadata", "-1",
          join(tilesDir, "tile-%04d.jpg"),
        ],
        ffmpegPath: options.ffmpegPath,
        signal,
      });
      const tiles = (await readdir(tilesDir)).filter((f) => /^tile-\d{4}\.jpg$/.test(f)).sort();
      const layout = layOutStoryboard(tiles.length, options.durationSeconds, interval, tile);
      await Promise.all(tiles.slice(layout.used).map((f) => rm(join(tilesDir, f))));
      await mkdir(join(packageDir, STORYBOARD_DIR), { recursive: true });
      await runFfmpeg({
        args: [
          "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
          "-framerate", "1", "-start_number", "1", "-i", join(tilesDir, "tile-%04d.jpg"),
          "-vf", `tile=${layout.columns}x${layout.rows}`, "-q:v", "4", "-start_number", "0",
          join(packageDir, STORYBOARD_DIR, "sheet-%02d.jpg"),
        ],
        ffmpegPath: options.ffmpegPath,
        signal,
      });
      await writeFile(path, layout.vtt);
      return layout.sheets;
    } finally {
      await rm(tilesDir, { recursive: true, force: true });
    }
  };
  return { name: "storyboard", file: STORYBOARD_NAME, attempts: [{ name: `a tile every ${interval}s`, make }] };
}
