import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { captionPlainText, normaliseCaptionLanguage, parseCaptions } from "../src/index.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

const sample = [
  "WEBVTT - a title",
  "Kind: captions",
  "",
  "STYLE",
  "::cue { color: red }",
  "",
  "NOTE a note",
  "that spans lines",
  "",
  "intro",
  "00:01.000 --> 00:02.000 align:start position:10% region:r1 junk",
  "<v Ana>Hello <i>there</i>",
  "",
  "01:00:00.000 --> 01:00:01.500",
  "<c.loud>An hour in</c> &amp; <00:00:00.500>karaoke",
  "",
].join("\n");

test("WebVTT: header, STYLE and NOTE blocks, identifiers, settings and cue tags", () => {
  const parsed = parseCaptions(utf8(sample));
  assert.equal(parsed.format, "webvtt");
  assert.deepEqual(parsed.cues, [
    { startMs: 1000, endMs: 2000, text: "<v Ana>Hello <i>there</i>", settings: "align:start position:10%" },
    { startMs: 3_600_000, endMs: 3_601_500, text: "<c.loud>An hour in</c> &amp; <00:00:00.500>karaoke" },
  ]);
  assert.equal(captionPlainText(parsed.cues), "Hello there An hour in & karaoke");
});

test("WebVTT without its signature, or with a cue missing its timing line, is refused naming the line", () => {
  assert.throws(() => parseCaptions(utf8("WEBVTTX\n\n00:01.000 --> 00:02.000\nx\n")), /line 1: a WebVTT file must start with "WEBVTT"/);
  assert.throws(() => parseCaptions(utf8("WEBVTT\n\nid\nno timing here\n")), /line 4: expected a timing line/);
  assert.throws(() => parseCaptions(utf8("WEBVTT\n\n00:01.000 --> 00:02.000\none\n00:02.000 --> 00:03.000\ntwo\n")), /line 5: cue text may not contain "-->"/);
  assert.throws(() => parseCaptions(utf8("WEBVTT\n\n00:01.00 --> 00:02.000\nx\n")), /line 3: malformed timestamp "00:01.00"/);
});

test("what Kino writes is WebVTT that ffmpeg's own parser reads back, cue for cue", () => {
  const srt = "1\n00:00:00,500 --> 00:00:01,250\nOne & <b>two</b>\n\n2\n00:00:02,000 --> 00:00:03,000\nthree\n";
  const dir = mkdtempSync(join(tmpdir(), "kino-captions-"));
  try {
    const file = join(dir, "out.vtt");
    writeFileSync(file, parseCaptions(utf8(srt)).webVtt);
    const back = execFileSync("ffmpeg", ["-v", "error", "-i", file, "-f", "srt", "-"], { encoding: "utf8" });
    assert.match(back, /00:00:00,500 --> 00:00:01,250\r?\nOne & <b>two<\/b>/);
    assert.match(back, /00:00:02,000 --> 00:00:03,000\r?\nthree/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("languages are canonical BCP 47 tags; anything else is refused", () => {
  assert.equal(normaliseCaptionLanguage("en"), "en");
  assert.equal(normaliseCaptionLanguage("pt-br"), "pt-BR");
  assert.equal(normaliseCaptionLanguage(" zh-hant "), "zh-Hant");
  for (const bad of ["", "english!", "e", "../../etc", "en_US", "a".repeat(40)]) {
    assert.throws(() => normaliseCaptionLanguage(bad), /language must be a BCP 47 tag/, bad);
  }
});
