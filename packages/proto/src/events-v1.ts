export * from "../gen/kino/events/v1/video_event_pb.ts";
