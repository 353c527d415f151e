import { serviceIdentityField } from "@kino/grpc";
import { intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";
import { storageConfigSchema } from "@kino/storage";

export const transcoderConfigSchema = {
  natsUrl: urlField("KINO_NATS_URL", ["nats"], { description: "NATS server with JetStream", default: "nats://127.0.0.1:42220" }),
  natsPrefix: stringField("KINO_NATS_PREFIX", { description: "prefix of Kino's stream and subject names", default: "kino" }),
  catalogUrl: stringField("KINO_CATALOG_URL", { description: "host:port of the catalog's gRPC server", default: "127.0.0.1:50051" }),
  identity: serviceIdentityField(),
  opsListen: listenField("KINO_TRANSCODER_OPS_LISTEN", { description: "HTTP address for /healthz and /metrics", default: "127.0.0.1:9402" }),
  maxAttempts: intField("KINO_TRANSCODE_MAX_ATTEMPTS", {
    description: "encode attempts of one job before its video is marked FAILED",
    default: 3,
    min: 1,
    max: 20,
  }),
  ackWaitMs: intField("KINO_TRANSCODE_ACK_WAIT_MS", {
    description: "lease of a job: a transcoder silent this long loses it to another",
    default: 60_000,
    min: 1000,
  }),
  retryBackoffMs: intField("KINO_TRANSCODE_RETRY_BACKOFF_MS", {
    description: "delay before the second attempt; doubled for each further one",
    default: 5000,
    min: 0,
  }),
  preset: stringField("KINO_TRANSCODE_PRESET", { description: "x264 preset of the ladder", default: "veryfast" }),
  segmentSeconds: intField("KINO_HLS_SEGMENT_SECONDS", {
    description: "HLS segment length; keyframes are forced on a grid that divides it",
    default: 4,
    min: 1,
    max: 10,
  }),
  rangeSeconds: intField("KINO_TRANSCODE_RANGE_SECONDS", {
    description: "length of the ranges a long source is split into (whole segments), each encoded by any host; 0 never splits",
    default: 60,
    min: 0,
    max: 3600,
  }),
  splitMinSeconds: intField("KINO_TRANSCODE_SPLIT_MIN_SECONDS", {
    description: "sources shorter than this (or than two ranges) are encoded whole, on one host",
    default: 180,
    min: 0,
  }),
  ffmpegPath: stringField("KINO_FFMPEG_PATH", { description: "ffmpeg executable", default: "ffmpeg" }),
  ffprobePath: stringField("KINO_FFPROBE_PATH", { description: "ffprobe executable", default: "ffprobe" }),
  tempDir: stringField("KINO_TEMP_DIR", { description: "where jobs make scratch directories; the OS temp dir when empty", default: "" }),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", {
    description: "upper bound for a graceful stop; running jobs get most of it to finish, the rest are handed back",
    default: 60_000,
    min: 1000,
  }),
  ...storageConfigSchema,
};

export type TranscoderConfig = ConfigOf<typeof transcoderConfigSchema>;
