import type { HttpResponse } from "@trufflesuite/uws-js-unofficial";

export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

/**
 * Collects a request body from uWS, copying each chunk (uWS reuses its
 * memory after the callback returns) and stopping as soon as it passes
 * maxBytes. With a Content-Length the body is copied once into a buffer of
 * that size. The caller must have registered onAborted already.
 */
export function readBody(res: HttpResponse, declaredLength: number | undefined, maxBytes: number, done: (result: BodyResult) => void): void {
  let finished = false;
  let size = 0;
  const whole = declaredLength !== undefined && declaredLength <= maxBytes ? Buffer.allocUnsafe(declaredLength) : undefined;
  const chunks: Buffer[] = [];
  res.onData((chunk, isLast) => {
    if (finished) return;
    const bytes = new Uint8Array(chunk);
    if (size + bytes.byteLength > maxBytes || (whole && size + bytes.byteLength > whole.byteLength)) {
      finished = true;
      done({ ok: false, tooLarge: true });
      return;
    }
    if (whole) whole.set(bytes, size);
    else chunks.push(Buffer.from(bytes));
    size += bytes.byteLength;
    if (isLast) {
      finished = true;
      done({ ok: true, body: whole ? whole.subarray(0, size) : Buffer.concat(chunks, size) });
    }
  });
}
