export * from "../gen/kino/upload/v1/upload_service_pb.ts";
