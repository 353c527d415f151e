export { signatureHeader, signKinoWebhook } from "./signature.ts";
export { verifyKinoSignature, WebhookSignatureError, type VerifyOptions } from "./verify.ts";
