export { grpcServiceDefinition } from "./service-definition.ts";
export { grpcStatusOf, isServiceError, kinoErrorFromGrpc } from "./status-mapping.ts";
export { requestIdMetadataKey, requestIdOf } from "./caller.ts";
export { grpcImplementation, type CallContext, type ServiceAccess, type ServiceHandlers } from "./server-handlers.ts";
export { createGrpcClient, type CallOptionsLite, type GrpcClient, type GrpcClientOptions } from "./client.ts";
export { createAssertionMinter, callerAssertionMetadataKey, type AssertionMinter, type OnBehalfOf } from "./identity/caller-assertion.ts";
export { createAssertionVerifier, type AssertionVerifier, type VerifiedCaller } from "./identity/assertion-verifier.ts";
export { type CallerRule, type CallerRules } from "./identity/caller-rules.ts";
export { principals, type Principal } from "./identity/principals.ts";
export {
  generateServiceCredentials,
  identityFrom,
  serviceIdentityField,
  trustFrom,
  trustedServicesField,
  type IdentityFile,
  type ServiceIdentity,
  type TrustFile,
  type TrustedServices,
} from "./identity/service-credentials.ts";
export { withCallOptions } from "./with-call-options.ts";
export { createHealthClient, type HealthClient } from "./health-client.ts";
export { followDependencyHealth, type FollowDependencyOptions } from "./health-follower.ts";
export { startGrpcServer, type GrpcServer, type GrpcServiceBinding, type StartGrpcServerOptions } from "./server.ts";
export { createReflection, type Reflection, type ReflectionRequest, type ReflectionResponse } from "./reflection/reflection-responder.ts";
export { HealthService } from "./reflection/standard-files.ts";
export { ensureServiceKeyFiles, identityFileName, trustFileName } from "./identity/service-key-files.ts";
export { createRetryAfterNotes, retryAfterMetadataKey, type RetryAfterNotes } from "./retry-after-trailer.ts";
