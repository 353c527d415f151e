export * from "../gen/kino/catalog/v1/video_pb.ts";
export * from "../gen/kino/catalog/v1/catalog_service_pb.ts";
export * from "../gen/kino/catalog/v1/lifecycle_service_pb.ts";
export * from "../gen/kino/catalog/v1/engagement_service_pb.ts";
export * from "../gen/kino/catalog/v1/export_service_pb.ts";
export * from "../gen/kino/catalog/v1/poster_service_pb.ts";
export * from "../gen/kino/catalog/v1/content_key_service_pb.ts";
