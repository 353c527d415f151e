export { contentTypeFor, deleteOutputs, outputPrefix, uploadOutputs, type UploadedOutputs, type UploadOutputsOptions } from "./outputs/upload-outputs.ts";
export { cpuSlotsFor, detectCapacity, type DetectCapacityOptions, type TranscodeCapacity } from "./pool/capacity.ts";
export { createTranscodePool, type CreateTranscodePoolOptions, type RunJobOptions, type TranscodePool } from "./pool/create-pool.ts";
export type { JobProgress, JobStage, TranscodeJob, TranscodeJobResult } from "./pool/job.ts";
export type { JobFailure } from "./pool/job-failure.ts";
export { runTranscodeJob, type RunTranscodeJobOptions } from "./pool/transcode-job.ts";
