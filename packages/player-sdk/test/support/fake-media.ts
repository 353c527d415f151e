import type { HlsErrorLike, HlsLevelLike, HlsLike, MediaLike } from "../../src/index.ts";

/** A stand-in for an HTMLVideoElement whose state a test sets and whose events it fires. */
export class FakeMedia extends EventTarget implements MediaLike {
  currentTime = 0;
  paused = true;
  seeking = false;
  autoplay = false;
  videoWidth = 0;
  videoHeight = 0;
  ranges: [number, number][] = [];
  error: { code: number; message: string } | null = null;
  droppedVideoFrames = 0;

  get buffered() {
    const ranges = this.ranges;
    return { length: ranges.length, start: (i: number) => ranges[i]![0], end: (i: number) => ranges[i]![1] };
  }

  getVideoPlaybackQuality() {
    return { droppedVideoFrames: this.droppedVideoFrames };
  }

  fire(type: string): void {
    this.dispatchEvent(new Event(type));
  }
}

type Listener = (event: string, data: never) => void;

/** A stand-in for an hls.js instance: levels and the events the SDK listens to. */
export class FakeHls implements HlsLike {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly levels: HlsLevelLike[]) {}

  on(event: string, listener: Listener): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }

  off(event: string, listener: Listener): void {
    this.listeners.get(event)?.delete(listener);
  }

  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }

  emit(event: "hlsLevelSwitched", data: { level: number }): void;
  emit(event: "hlsError", data: HlsErrorLike): void;
  emit(event: string, data: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (e: string, d: unknown) => void)(event, data);
  }
}

/** A clock the test moves by hand. */
export class FakeClock {
  ms = 1_000;
  now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}
