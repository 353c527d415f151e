import { randomBytes } from "node:crypto";
import { startTestAuth, testAudience, testIssuer, type StartedTestAuth } from "@kino/auth-service/testing";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { gatewayConfigSchema, startGateway, type RunningGateway } from "@kino/gateway";
import { createGrpcClient, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { AuthService } from "@kino/proto/auth/v1";
import { startMailCatcher, type MailCatcher } from "@kino/testkit";

export interface AccountStack {
  /** The gateway's public URL, for KINO_GATEWAY_URL. */
  gatewayUrl: string;
  mail: MailCatcher;
  /** The auth service called directly, as the gateway calls it (for what a test does behind the CLI's back). */
  auth: GrpcClient<typeof AuthService>;
  /** The 6-digit code in the next mail to `email`. */
  nextCode(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real thing the account commands talk to: a gateway in front of a real
 * auth service (mail caught by a real SMTP server) and a real catalog, on
 * free ports over the test PostgreSQL, Redis and NATS.
 */
export async function startAccountStack(): Promise<AccountStack> {
  const mail = await startMailCatcher();
  let authService: StartedTestAuth | undefined;
  let catalog: StartedTestCatalog | undefined;
  let gateway: RunningGateway | undefined;
  try {
    authService = await startTestAuth({ smtpUrl: mail.url });
    catalog = await startTestCatalog();
    const config = parseConfig(gatewayConfigSchema, {
      KINO_GATEWAY_LISTEN: "127.0.0.1:0",
      KINO_CATALOG_URL: catalog.address,
      KINO_AUTH_URL: authService.address,
      KINO_AUTH_ISSUER: testIssuer,
      KINO_AUTH_AUDIENCE: testAudience,
      // A revoked key must be refused at once, not after the cache's few seconds.
      KINO_API_KEY_CACHE_MS: "0",
      KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("gateway"),
      KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
      KINO_LOG_LEVEL: "silent",
      KINO_SHUTDOWN_TIMEOUT_MS: "2000",
      KINO_UPSTREAM_TIMEOUT_MS: "5000",
    });
    gateway = await startGateway({ config, logger: silentLogger() });
  } catch (error) {
    await gateway?.close();
    await catalog?.close();
    await authService?.close();
    await mail.close();
    throw error;
  }
  const auth = createGrpcClient(AuthService, authService.address, { identity: testServiceCredentials().minter("gateway") });
  const started = { authService, catalog, gateway };
  return {
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    mail,
    auth,
    async nextCode(email) {
      const message = await mail.next(email, 10_000);
      const code = /\b(\d{6})\b/.exec(message.text)?.[1];
      if (!code) throw new Error(`no code in the mail to ${email}: ${JSON.stringify(message.text)}`);
      return code;
    },
    async close() {
      auth.close();
      await started.gateway.close();
      await started.catalog.close();
      await started.authService.close();
      await mail.close();
    },
  };
}
