import type { HttpResponse } from "@trufflesuite/uws-js-unofficial";

export type BodyResult = { ok: true; body: Uint8Array } | { ok: false; tooLarge: true };

/**
 * Collects a request body from uWS and stops as soon as it passes maxBytes.
 * The caller must have registered onAborted already.
 *
 * A body that arrives in one chunk (a beacon nearly always does) is passed
 * as a view of uWS's own memory, which uWS reuses once the callback
 * returns: `done` must finish reading it synchronously. Bodies in several
 * chunks are copied (once, into a buffer of the Content-Length when given).
 * Skipping that copy matters: a buffer per request is external memory that
 * drives V8's garbage collector at beacon rates.
 */
export function readBody(res: HttpResponse, declaredLength: number | undefined, maxBytes: number, done: (result: BodyResult) => void): void {
  let finished = false;
  let size = 0;
  let whole: Buffer | undefined;
  const chunks: Buffer[] = [];
  res.onData((chunk, isLast) => {
    if (finished) return;
    const bytes = new Uint8Array(chunk);
    if (isLast && size === 0 && bytes.byteLength <= maxBytes) {
      finished = true;
      done({ ok: true, body: bytes });
      return;
    }
    if (size + bytes.byteLength > maxBytes || (whole && size + bytes.byteLength > whole.byteLength)) {
      finished = true;
      done({ ok: false, tooLarge: true });
      return;
    }
    if (size === 0 && declaredLength !== undefined && declaredLength <= maxBytes) whole = Buffer.allocUnsafe(declaredLength);
    if (whole) whole.set(bytes, size);
    else chunks.push(Buffer.from(bytes));
    size += bytes.byteLength;
    if (isLast) {
      finished = true;
      done({ ok: true, body: whole ? whole.subarray(0, size) : Buffer.concat(chunks, size) });
    }
  });
}
