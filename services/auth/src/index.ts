export { authConfigSchema, authServiceConfigSchema, type AuthConfig, type AuthServiceConfig } from "./config.ts";
export { startAuthService, type AuthServiceOptions, type RunningAuth } from "./auth-service.ts";
export { authMigrations } from "./migrations/index.ts";
export { rotateSigningKey } from "./signing-keys.ts";
