import { Transform } from "node:stream";

const base64Alphabet = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes base64 that arrives in pieces split anywhere, where the sender may
 * have padded each piece it flushed ("AQIDBA==BQY="): every 4-character
 * quantum decodes on its own. Node's decoder stops at the first padding, so
 * the text is cut after each padded quantum. Whitespace is ignored.
 */
export function base64ChunkDecoder(invalid: () => Error): Transform {
  let pending = "";
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending += chunk.toString("latin1").replace(/\s+/g, "");
      const whole = pending.length - (pending.length % 4);
      const ready = pending.slice(0, whole);
      pending = pending.slice(whole);
      let start = 0;
      for (let end = 4; end <= ready.length; end += 4) {
        if (ready[end - 1] !== "=" && end < ready.length) continue;
        const piece = ready.slice(start, end);
        if (!base64Alphabet.test(piece)) return done(invalid());
        this.push(Buffer.from(piece, "base64"));
        start = end;
      }
      done();
    },
    flush(done) {
      done(pending === "" ? null : invalid());
    },
  });
}
