export * from "../gen/kino/search/v1/search_service_pb.ts";
