export * from "../gen/kino/media/v1/source_pb.ts";
export * from "../gen/kino/media/v1/transcode_job_pb.ts";
