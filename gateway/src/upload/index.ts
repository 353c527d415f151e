export { createUploadService, type UploadServiceOptions } from "./upload-service.ts";
export { createUploadRoute, UPLOADS_PREFIX, type UploadRoute, type UploadRouteOptions } from "./upload-route.ts";
export { createUploadTokens, UploadTokenError, type UploadClaims, type UploadTokenProblem, type UploadTokens } from "./upload-token.ts";
export type { SourceInfoInit, SourceVerdict, ValidateSource } from "./source-validation.ts";
export { EXPIRED_REASON } from "./expiry-sweeper.ts";
export { CHECKSUM_ALGORITHMS } from "./checksum.ts";
export { uploadConfigSchema } from "./upload-config.ts";
export { probeValidation } from "./probe-validation.ts";
