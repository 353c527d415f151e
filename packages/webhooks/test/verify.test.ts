import assert from "node:assert/strict";
import { test } from "node:test";
import { signKinoWebhook, verifyKinoSignature, WebhookSignatureError } from "../src/index.ts";

const secret = "whsec_test-secret-0123456789";
const body = Buffer.from('{"id":"abc.ready","type":"video.ready","data":{"video_id":"abc"}}');
const now = 1_800_000_000;

test("a body signed at t verifies within the tolerance, and t comes back", () => {
  const header = signKinoWebhook(body, secret, now - 299);
  assert.deepEqual(verifyKinoSignature(body, header, secret, { now }), { timestamp: now - 299 });
  assert.deepEqual(verifyKinoSignature(body.toString("utf8"), header, secret, { now }), { timestamp: now - 299 });
});

test("one changed byte, another secret, or a stale or future t is refused", () => {
  const header = signKinoWebhook(body, secret, now);
  const changed = Buffer.from(body);
  changed[10] = changed[10]! ^ 1;
  assert.throws(() => verifyKinoSignature(changed, header, secret, { now }), WebhookSignatureError);
  assert.throws(() => verifyKinoSignature(body, header, `${secret}x`, { now }), /does not match/);
  assert.throws(() => verifyKinoSignature(body, signKinoWebhook(body, secret, now - 301), secret, { now }), /more than 300 s/);
  assert.throws(() => verifyKinoSignature(body, signKinoWebhook(body, secret, now + 301), secret, { now }), /more than 300 s/);
  assert.throws(() => verifyKinoSignature(body, signKinoWebhook(body, secret, now - 50), secret, { now, toleranceSeconds: 10 }), /more than 10 s/);
});

test("a re-serialised body does not verify: only the raw bytes do", () => {
  const spaced = Buffer.from('{"id": "abc.ready", "type": "video.ready", "data": {"video_id": "abc"}}');
  const header = signKinoWebhook(spaced, secret, now);
  const reserialised = JSON.stringify(JSON.parse(spaced.toString("utf8")));
  assert.throws(() => verifyKinoSignature(reserialised, header, secret, { now }), /does not match/);
  assert.throws(() => verifyKinoSignature(JSON.parse(spaced.toString("utf8")) as never, header, secret, { now }), /raw body/);
});

test("malformed headers are refused; any one of several v1 values may match", () => {
  for (const header of [undefined, "", "v1=00", "t=abc,v1=" + "0".repeat(64), `t=${now}`, `t=${now},v1=zz`]) {
    assert.throws(() => verifyKinoSignature(body, header, secret, { now }), WebhookSignatureError, String(header));
  }
  const good = signKinoWebhook(body, secret, now);
  const rotated = `t=${now},v1=${"0".repeat(64)},${good.split(",")[1]}`;
  assert.deepEqual(verifyKinoSignature(body, rotated, secret, { now }), { timestamp: now });
});
