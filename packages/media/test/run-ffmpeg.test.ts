import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { FfmpegError, runFfmpeg, type FfmpegProgress } from "../src/index.ts";

describe("runFfmpeg", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-run-ffmpeg-");
  });
  after(() => dir.remove());

  it("streams progress events until done", async () => {
    const events: FfmpegProgress[] = [];
    await runFfmpeg({
      args: ["-hide_banner", "-nostdin", "-v", "error", "-nostats", "-progress", "pipe:1", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=2", "-f", "null", "-"],
      durationSeconds: 2,
      onProgress: (e) => events.push(e),
    });
    assert.ok(events.length > 0);
    assert.equal(events.at(-1)?.done, true);
    assert.equal(events.at(-1)?.percent, 100);
  });

  it("names the real problem when a filter does not exist, not ffmpeg's generic trailer", async () => {
    await assert.rejects(
      runFfmpeg({ args: ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=duration=1", "-filter_complex", "[0:v]nosuchfilter[v]", "-map", "[v]", "-f", "null", "-"] }),
      (error: unknown) => {
        assert.ok(error instanceof FfmpegError);
        assert.equal(error.code, "ffmpeg_failed");
        assert.equal(error.exitCode, 1);
        assert.equal(error.reason, "No such filter: 'nosuchfilter'");
        assert.ok(error.stderrTail.some((line) => /Invalid argument/.test(line)));
        return true;
      },
    );
  });

  it("names the encoder's complaint rather than ffmpeg's guess about parameters", async () => {
    await assert.rejects(
      runFfmpeg({ args: ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=duration=1", "-c:v", "libx264", "-profile:v", "nonsense", "-f", "null", "-"] }),
      (error: unknown) => {
        assert.ok(error instanceof FfmpegError);
        assert.equal(error.reason, "Error setting profile nonsense.");
        return true;
      },
    );
  });

  it("says the input is not media when fed a corrupt file", async () => {
    const corrupt = join(dir.path, "corrupt.mkv");
    await writeFile(corrupt, Buffer.alloc(4096, 7));
    await assert.rejects(runFfmpeg({ args: ["-hide_banner", "-nostdin", "-v", "error", "-i", corrupt, "-f", "null", "-"] }), (error: unknown) => {
      assert.ok(error instanceof FfmpegError);
      assert.match(error.reason, /Invalid data found when processing input/);
      return true;
    });
  });

  it("kills ffmpeg when aborted and rejects with the abort reason", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runFfmpeg({
      args: ["-hide_banner", "-nostdin", "-v", "error", "-nostats", "-progress", "pipe:1", "-re", "-f", "lavfi", "-i", "testsrc2=duration=60", "-f", "null", "-"],
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("job cancelled")),
    });
    await assert.rejects(run, /job cancelled/);
    assert.ok(Date.now() - started < 10_000, "ffmpeg stopped long before its 60 s of realtime input");
  });

  it("reports a missing ffmpeg binary as unavailable", async () => {
    await assert.rejects(runFfmpeg({ ffmpegPath: join(dir.path, "no-such-ffmpeg"), args: ["-version"] }), (error: unknown) => {
      assert.ok(FfmpegError.is(error, "ffmpeg_unavailable"));
      return true;
    });
  });
});
