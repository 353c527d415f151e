export * from "../gen/kino/analytics/v1/beacon_pb.ts";
export * from "../gen/kino/analytics/v1/analytics_service_pb.ts";
export * from "../gen/kino/analytics/v1/analytics_internal_service_pb.ts";
