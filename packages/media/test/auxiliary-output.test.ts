import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "@kino/platform";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import { produceAuxiliaryOutputs, transcodeToHls, type AuxiliaryAttempt } from "../src/index.ts";

const fails = (name: string, message: string): AuxiliaryAttempt => ({
  name,
  make: async () => {
    throw new Error(message);
  },
});
const writesNothing = (name: string): AuxiliaryAttempt => ({ name, make: async () => {} });
const writes = (name: string, text: string): AuxiliaryAttempt => ({ name, make: (path) => writeFile(path, text) });

describe("produceAuxiliaryOutputs", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-auxiliary-");
  });
  after(() => dir.remove());
  const options = () => ({ dir: dir.path, logger: silentLogger() });

  it("falls back past an attempt that throws and one that writes nothing, and says which made the file", async () => {
    const reports = await produceAuxiliaryOutputs(
      [{ name: "poster", file: "poster.jpg", attempts: [fails("seek", "no frame"), writesNothing("middle"), writes("first frame", "jpeg")] }],
      options(),
    );
    assert.deepEqual(reports, [{ output: "poster", file: "poster.jpg", files: ["poster.jpg"], madeBy: "first frame" }]);
    assert.equal(await readFile(join(dir.path, "poster.jpg"), "utf8"), "jpeg");
  });

  it("reports an output no attempt made as missing, with every attempt's reason, and leaves no partial file", async () => {
    const partial: AuxiliaryAttempt = {
      name: "half",
      make: async (path) => {
        await writeFile(path, "half a jpeg");
        throw new Error("killed mid-write");
      },
    };
    const reports = await produceAuxiliaryOutputs(
      [
        { name: "storyboard", file: "storyboard.jpg", attempts: [partial, fails("first frame", "decoder exploded")] },
        { name: "poster", file: "poster2.jpg", attempts: [writes("seek", "jpeg")] },
      ],
      options(),
    );
    assert.deepEqual(reports, [
      { output: "storyboard", missing: true, warning: "no storyboard could be made (half: killed mid-write; first frame: decoder exploded)" },
      { output: "poster", file: "poster2.jpg", files: ["poster2.jpg"], madeBy: "seek" },
    ]);
    assert.ok(!(await readdir(dir.path)).includes("storyboard.jpg"));
  });

  it("rejects with the abort reason instead of reporting an aborted job's output missing", async () => {
    const controller = new AbortController();
    const abortsJob: AuxiliaryAttempt = {
      name: "seek",
      make: async () => {
        controller.abort(new Error("video deleted"));
        throw new Error("ffmpeg killed");
      },
    };
    await assert.rejects(
      produceAuxiliaryOutputs([{ name: "poster", file: "poster3.jpg", attempts: [abortsJob, writes("first frame", "jpeg")] }], { ...options(), signal: controller.signal }),
      /video deleted/,
    );
  });
});

describe("transcodeToHls and its auxiliary outputs", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-no-poster-");
  });
  after(() => dir.remove());

  it("publishes the ladder and reports the poster missing when ffmpeg can make no frame of it", async () => {
    // Real ffmpeg for everything but JPEG output, which fails the way a broken decoder does.
    const ffmpegPath = join(dir.path, "ffmpeg-no-jpeg");
    await writeFile(ffmpegPath, `#!/bin/sh\nfor arg in "$@"; do last="$arg"; done\ncase "$last" in *.jpg) echo "[mjpeg @ 0x55d0c0ffee00] no frame to encode" >&2; exit 1;; esac\nexec ffmpeg "$@"\n`);
    await chmod(ffmpegPath, 0o755);
    const source = await makeClip(join(dir.path, "clip.mp4"), { width: 192, height: 108, seconds: 2 });
    const outDir = join(dir.path, "out");
    const result = await transcodeToHls({ sourcePath: source, workDir: outDir, videoId: "vid", preset: "ultrafast", ffmpegPath });
    assert.deepEqual(result.auxiliary, [
      { output: "poster", missing: true, warning: "no poster could be made (frame at 1.000s: no frame to encode; first frame: no frame to encode)" },
    ]);
    assert.ok(!result.files.includes("poster.jpg"));
    assert.deepEqual(result.files.sort(), (await readdir(outDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(outDir.length + 1)).sort());
    assert.deepEqual(result.renditions.map((r) => [r.width, r.height]), [[192, 108]]);
  });

  it("stops making auxiliary outputs when the ladder fails, so nothing writes into the package directory after it rejects", async () => {
    // The ladder (the only HLS writer) fails at once; a poster takes 1.5 s to start.
    const ffmpegPath = join(dir.path, "ffmpeg-ladder-fails");
    await writeFile(ffmpegPath, `#!/bin/sh\nfor arg in "$@"; do [ "$arg" = hls ] && { echo "Invalid data found when processing input" >&2; exit 1; }; done\nsleep 1.5\nexec ffmpeg "$@"\n`);
    await chmod(ffmpegPath, 0o755);
    const source = await makeClip(join(dir.path, "clip-ladder-fails.mp4"), { width: 192, height: 108, seconds: 1 });
    const outDir = join(dir.path, "ladder-fails");
    await assert.rejects(transcodeToHls({ sourcePath: source, workDir: outDir, videoId: "vid", ffmpegPath }), /Invalid data found/);
    await sleep(2500);
    assert.deepEqual(await readdir(outDir), []);
  });
});
