export * from "../gen/kino/playback/v1/playback_service_pb.ts";
