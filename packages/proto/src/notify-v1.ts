export * from "../gen/kino/notify/v1/notify_service_pb.ts";
