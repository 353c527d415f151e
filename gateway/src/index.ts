export { gatewayConfigSchema, type GatewayConfig } from "./config.ts";
export { startGateway, type GatewayOptions, type RunningGateway } from "./gateway.ts";
export type { HttpRoute, GatewayRequest, GatewayResponse } from "./http/http-route.ts";
export { parseApiKeys, type ApiKeys } from "./auth/api-keys.ts";
