import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planLadder, type AudioStreamInfo, type ProbeResult, type VideoStreamInfo } from "../src/index.ts";

const stereo: AudioStreamInfo = { index: 1, codec: "aac", channels: 2, sampleRate: 44_100, language: "und", isDefault: true };

function source(video: Partial<VideoStreamInfo> & { width: number; height: number }, audioTracks: AudioStreamInfo[] = [stereo]): ProbeResult {
  const quarterTurn = video.rotation === 90 || video.rotation === 270;
  return {
    durationSeconds: 10,
    sizeBytes: 1_000_000,
    container: "mov,mp4,m4a,3gp,3g2,mj2",
    video: {
      index: 0,
      codec: "h264",
      rotation: 0,
      frameRate: 30,
      interlaced: false,
      offsetSeconds: 0,
      durationSeconds: 10,
      displayWidth: quarterTurn ? video.height : video.width,
      displayHeight: quarterTurn ? video.width : video.height,
      ...video,
    },
    ...(audioTracks[0] ? { audio: audioTracks[0] } : {}),
    audioTracks,
  };
}

function sizes(probe: ProbeResult): string[] {
  return planLadder(probe).rungs.map((r) => `${r.name} ${r.width}x${r.height}`);
}

describe("planLadder", () => {
  it("gives a 1080p landscape source all five rungs, highest first, aspect kept", () => {
    assert.deepEqual(sizes(source({ width: 1920, height: 1080 })), ["1080p 1920x1080", "720p 1280x720", "480p 854x480", "360p 640x360", "240p 426x240"]);
  });

  it("never upscales: a 640x360 source gets only 360p and 240p", () => {
    assert.deepEqual(sizes(source({ width: 640, height: 360 })), ["360p 640x360", "240p 426x240"]);
  });

  it("sizes portrait sources by their short side", () => {
    assert.deepEqual(sizes(source({ width: 1080, height: 1920 })), ["1080p 1080x1920", "720p 720x1280", "480p 480x854", "360p 360x640", "240p 240x426"]);
  });

  it("applies rotation: a 1920x1080 stream rotated 90 degrees is planned as portrait", () => {
    const plan = planLadder(source({ width: 1920, height: 1080, rotation: 90 }));
    assert.equal(plan.rungs[0]?.width, 1080);
    assert.equal(plan.rungs[0]?.height, 1920);
    assert.ok(plan.rungs.every((r) => r.height > r.width));
  });

  it("keeps every dimension even for odd-sized sources", () => {
    const plan = planLadder(source({ width: 1001, height: 563 }));
    assert.deepEqual(plan.rungs.map((r) => r.name), ["480p", "360p", "240p"]);
    for (const r of plan.rungs) {
      assert.equal(r.width % 2, 0, `${r.name} width ${r.width}`);
      assert.equal(r.height % 2, 0, `${r.name} height ${r.height}`);
    }
  });

  it("gives a source smaller than 240 lines one rung at its own (even) size", () => {
    assert.deepEqual(sizes(source({ width: 160, height: 90 })), ["90p 160x90"]);
    assert.deepEqual(sizes(source({ width: 161, height: 91 })), ["90p 160x90"]);
  });

  it("keeps the source frame rate, capped at 60, and never raises it", () => {
    const sixty = planLadder(source({ width: 1280, height: 720, frameRate: 60 }));
    assert.equal(sixty.frameRate, 60);
    assert.equal(sixty.forceFrameRate, false);
    const fast = planLadder(source({ width: 1280, height: 720, frameRate: 120 }));
    assert.equal(fast.frameRate, 60);
    assert.equal(fast.forceFrameRate, true);
    const pal = planLadder(source({ width: 1280, height: 720, frameRate: 25 }));
    assert.equal(pal.frameRate, 25);
    assert.equal(pal.forceFrameRate, false);
  });

  it("spends more bits on high frame rates and caps peaks above the average", () => {
    const at30 = planLadder(source({ width: 1280, height: 720, frameRate: 30 })).rungs[0]!;
    const at60 = planLadder(source({ width: 1280, height: 720, frameRate: 60 })).rungs[0]!;
    assert.equal(at30.videoBitrate, 2_800_000);
    assert.ok(at60.videoBitrate > at30.videoBitrate);
    assert.ok(at30.maxrate > at30.videoBitrate && at30.bufsize > 0);
  });

  it("picks an H.264 level that fits each rung (720p60 needs 3.2, 1080p30 4.0)", () => {
    assert.equal(planLadder(source({ width: 1280, height: 720, frameRate: 60 })).rungs[0]?.level.name, "3.2");
    assert.equal(planLadder(source({ width: 1920, height: 1080, frameRate: 30 })).rungs[0]?.level.name, "4.0");
    assert.equal(planLadder(source({ width: 640, height: 360, frameRate: 30 })).rungs[0]?.level.name, "3.0");
  });

  it("deinterlaces interlaced sources and plans audio only when the source has some", () => {
    assert.equal(planLadder(source({ width: 720, height: 576, interlaced: true })).deinterlace, true);
    assert.equal(planLadder(source({ width: 720, height: 576 })).deinterlace, false);
    assert.deepEqual(planLadder(source({ width: 640, height: 360 })).audio, [
      { name: "und", streamIndex: 1, language: "und", label: "Audio 1", isDefault: true, codec: "aac", bitrate: 128_000, channels: 2, sampleRate: 48_000 },
    ]);
    assert.deepEqual(planLadder(source({ width: 640, height: 360 }, [])).audio, []);
  });

  it("makes every audio stream a track of one group: language, a unique name and folder, one default", () => {
    const track = (index: number, language: string, extra: Partial<AudioStreamInfo> = {}): AudioStreamInfo => ({ ...stereo, index, language, isDefault: false, ...extra });
    const plan = planLadder(source({ width: 640, height: 360 }, [track(1, "eng"), track(2, "fra", { isDefault: true }), track(3, "eng", { title: "Commentary" }), track(4, "und")]));
    assert.deepEqual(
      plan.audio.map((a) => [a.name, a.streamIndex, a.language, a.label, a.isDefault]),
      [
        ["eng", 1, "eng", "English", false],
        ["fra", 2, "fra", "French", true],
        ["eng-2", 3, "eng", "Commentary", false],
        ["und", 4, "und", "Audio 4", false],
      ],
    );
    // No stream flagged default: the first is.
    assert.deepEqual(planLadder(source({ width: 640, height: 360 }, [track(1, "eng"), track(2, "fra")])).audio.map((a) => a.isDefault), [true, false]);
  });
});
