export { gatewayConfigSchema, type GatewayConfig } from "./config.ts";
export { startGatewayApp, type RunningGatewayApp } from "./gateway-app.ts";
export { startGateway, type GatewayAuth, type GatewayOptions, type RunningGateway } from "./gateway.ts";
export { toConnectError } from "./rpc/connect-error.ts";
export type { HttpRoute, GatewayRequest, GatewayResponse } from "./http/http-route.ts";
export { callerKey, type GatewayCaller, type SignedInCaller } from "./auth/caller.ts";
