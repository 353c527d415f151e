import { createHmac } from "node:crypto";

/** The header every Kino webhook delivery carries. */
export const signatureHeader = "Kino-Signature";

/** hex HMAC-SHA256(secret, t + "." + body): what v1= holds. */
export function signaturePayloadHmac(secret: string, timestamp: number, rawBody: Uint8Array | string): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(`${timestamp}.`);
  hmac.update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody);
  return hmac.digest("hex");
}

/** The header value for a body sent at `timestamp` (unix seconds): `t=<unix>,v1=<hex>`. */
export function signKinoWebhook(rawBody: Uint8Array | string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${signaturePayloadHmac(secret, timestamp, rawBody)}`;
}
