export { authConfigSchema, type AuthConfig } from "./config.ts";
export { startAuthService, type AuthServiceOptions, type RunningAuth } from "./auth-service.ts";
export { authMigrations } from "./migrations/index.ts";
export { rotateSigningKey } from "./signing-keys.ts";
