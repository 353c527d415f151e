import assert from "node:assert/strict";
import { test } from "node:test";
import { CaptionError, parseCaptions } from "../src/index.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

function refusal(text: string | Uint8Array): CaptionError {
  try {
    parseCaptions(typeof text === "string" ? utf8(text) : text);
  } catch (error) {
    assert.ok(error instanceof CaptionError, `expected a CaptionError, got ${String(error)}`);
    assert.equal(error.code, "invalid_argument");
    return error;
  }
  assert.fail("the file was accepted");
}

test("a SubRip file becomes WebVTT with the same cues", () => {
  const parsed = parseCaptions(utf8("1\r\n00:00:01,000 --> 00:00:02,500\r\nHello,\r\nworld\r\n\r\n2\r\n00:00:03,000 --> 00:01:04,250\r\nSecond cue\r\n"));
  assert.equal(parsed.format, "srt");
  assert.deepEqual(parsed.cues, [
    { startMs: 1000, endMs: 2500, text: "Hello,\nworld" },
    { startMs: 3000, endMs: 64_250, text: "Second cue" },
  ]);
  assert.equal(parsed.webVtt, "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello,\nworld\n\n00:00:03.000 --> 00:01:04.250\nSecond cue\n");
});

test("a malformed timestamp is refused naming its line", () => {
  const error = refusal("1\n00:00:01,000 --> 00:00:02,500\nfine\n\n2\n00:00:03,5 --> 00:00:04,000\nbroken\n");
  assert.equal(error.line, 6);
  assert.match(error.message, /line 6: malformed timestamp "00:00:03,5"/);
  assert.equal(refusal("1\n00:61:00,000 --> 00:62:00,000\nminutes past 59\n").line, 2);
});

test("a cue that ends before it starts, or a stray text line, is refused naming its line", () => {
  assert.match(refusal("1\n00:00:05,000 --> 00:00:04,000\nbackwards\n").message, /line 2: the cue ends before it starts/);
  const stray = refusal("1\n00:00:01,000 --> 00:00:02,000\nok\n\nnot a cue\n");
  assert.equal(stray.line, 5);
  assert.match(refusal("7\n\n").message, /line 1: a cue number must be followed by a timing line/);
});

test("files as they come: no cue numbers, no blank line between cues, a BOM, the X1 box, a dot for a comma", () => {
  const parsed = parseCaptions(utf8("\uFEFF00:00:01,000 --> 00:00:02,000 X1:10 X2:20 Y1:5 Y2:9\nfirst\n2\n00:00:02.000 --> 00:00:03,000\nsecond\n"));
  assert.deepEqual(
    parsed.cues.map((c) => [c.startMs, c.text]),
    [
      [1000, "first"],
      [2000, "second"],
    ],
  );
});

test("UTF-16 with a byte order mark is read; other encodings and binary files are refused", () => {
  const text = "1\n00:00:01,000 --> 00:00:02,000\nÇa va ?\n";
  const utf16 = new Uint8Array(2 + text.length * 2);
  utf16.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i);
  assert.equal(parseCaptions(utf16).cues[0]!.text, "Ça va ?");
  assert.match(refusal(new Uint8Array([0x31, 0x0a, 0xe9, 0x74, 0xe9, 0x0a])).message, /not UTF-8/);
  assert.match(refusal(utf8("1\n00:00:01,000 --> 00:00:02,000\nhi\u0000\n")).message, /line 3: contains a NUL byte/);
  assert.match(refusal(utf8("")).message, /no cues with text/);
});

test("markup: SubRip font tags and ASS overrides go, words stay; HTML cannot reach the player", () => {
  const parsed = parseCaptions(utf8('1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color="#ff0000">Red</font> <b>bold</b>\n<script>alert(1)</script> & <img src=x onerror=alert(1)> 3 < 4\n'));
  assert.equal(parsed.cues[0]!.text, "Red <b>bold</b>\nalert(1) &amp;  3 &lt; 4");
});

test("size and count limits refuse a hostile file before it costs anything", () => {
  const limits = { maxBytes: 200, maxCues: 2, maxCueChars: 10 };
  assert.throws(() => parseCaptions(utf8("x".repeat(201)), limits), /larger than 200 bytes/);
  assert.throws(() => parseCaptions(utf8("1\n00:00:01,000 --> 00:00:02,000\n01234567890\n"), limits), /line 2: the cue's text is longer than 10/);
  const three = [1, 2, 3].map((n) => `${n}\n00:00:0${n},000 --> 00:00:0${n},500\nc${n}\n`).join("\n");
  assert.throws(() => parseCaptions(utf8(three), limits), /line 10: more than 2 cues/);
});
