export { grpcServiceDefinition } from "./service-definition.ts";
export { grpcStatusOf, isServiceError, kinoErrorFromGrpc } from "./status-mapping.ts";
export { callerIdOf, callerMetadataKey, requestIdMetadataKey, requestIdOf } from "./caller.ts";
export { grpcImplementation, type CallContext, type ServiceHandlers } from "./server-handlers.ts";
export { createGrpcClient, type CallOptionsLite, type GrpcClient } from "./client.ts";
export { withCallHeaders } from "./with-call-headers.ts";
export { createHealthClient, type HealthClient } from "./health-client.ts";
export { followDependencyHealth, type FollowDependencyOptions } from "./health-follower.ts";
export { startGrpcServer, type GrpcServer, type GrpcServiceBinding, type StartGrpcServerOptions } from "./server.ts";
