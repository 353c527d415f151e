export { requireTestEnv } from "./env.ts";
export { createTestDatabase, type TestDatabase } from "./database.ts";
export { createTempDir, type TempDir } from "./temp-dir.ts";
export { AWKWARD_SOURCES, ffmpeg, ffprobeJson, makeClip, type AwkwardSource, type ClipOptions } from "./media-clips.ts";
export { startS3rver, type S3rverProcess } from "./s3rver-process.ts";
export { heartbeatMs, rebufferMs, sdkViewEvents, sdkViewSpanMs, type SdkViewPlan } from "./sdk-view-events.ts";
export { launchChromium } from "./chromium.ts";
export { CACHE_STATUS_HEADER, startCachingProxy, type CachingProxy } from "./caching-proxy.ts";
export { startMailCatcher, type CaughtMail, type MailCatcher, type MailCatcherOptions } from "./mail-catcher.ts";
