export { requireTestEnv } from "./env.ts";
export { createTestDatabase, type TestDatabase } from "./database.ts";
export { createTempDir, type TempDir } from "./temp-dir.ts";
export { ffmpeg, ffprobeJson, makeClip, type ClipOptions } from "./media-clips.ts";
export { startS3rver, type S3rverProcess } from "./s3rver-process.ts";
export { heartbeatMs, rebufferMs, sdkViewEvents, sdkViewSpanMs, type SdkViewPlan } from "./sdk-view-events.ts";
