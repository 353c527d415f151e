export * from "../gen/kino/auth/v1/account_pb.ts";
export * from "../gen/kino/auth/v1/api_key_pb.ts";
export * from "../gen/kino/auth/v1/auth_service_pb.ts";
export * from "../gen/kino/auth/v1/auth_internal_service_pb.ts";
