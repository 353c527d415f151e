export * from "../gen/kino/auth/v1/auth_service_pb.ts";
