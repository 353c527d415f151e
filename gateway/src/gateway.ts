import { createContextValues, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createAssertionMinter, createGrpcClient, type OnBehalfOf } from "@kino/grpc";
import { KinoError, createMetricsRegistry, createOpsHandler, splitListen, type HealthCheck, type Logger } from "@kino/platform";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { AuthInternalService, AuthService } from "@kino/proto/auth/v1";
import { CatalogService, EngagementService } from "@kino/proto/catalog/v1";
import { NotifyService } from "@kino/proto/notify/v1";
import { SearchService } from "@kino/proto/search/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createAccountDirectory } from "./auth/account-directory.ts";
import { createAccessTokenVerifier } from "./auth/access-token-verifier.ts";
import { createApiKeyVerifier } from "./auth/api-key-verifier.ts";
import { authServiceForwarding } from "./auth/auth-forwarding.ts";
import { authInterceptor } from "./auth/auth-interceptor.ts";
import { createAuthenticator, type Authenticator } from "./auth/authenticator.ts";
import { callerKey, userIdOf, type GatewayCaller } from "./auth/caller.ts";
import { jwksRoute } from "./auth/jwks-route.ts";
import { assertEveryMethodScoped } from "./auth/method-scopes.ts";
import { publicScopeRules } from "./auth/public-scopes.ts";
import type { GatewayConfig } from "./config.ts";
import { createGatewayMetrics } from "./gateway-metrics.ts";
import { acceptGrpcWebText } from "./grpc/grpc-web-text.ts";
import { addHealth } from "./grpc/health-service.ts";
import { addReflection } from "./grpc/reflection-service.ts";
import { answerUnknownRpc } from "./grpc/unknown-rpc.ts";
import { createCorsPolicy } from "./http/cors.ts";
import { mayHaveBody, watchRequestBody } from "./http/body-watchdog.ts";
import { createDualProtocolServer } from "./http/dual-protocol-server.ts";
import type { GatewayRequest, HttpRoute, RouteContext } from "./http/http-route.ts";
import { requestIdFrom } from "./http/request-id.ts";
import { clientAddressOf } from "./http/client-address.ts";
import { clientAddressKey, rateLimitInterceptor, type GatewayRateLimiters } from "./rate-limit/index.ts";
import { requestGuard } from "./rpc/request-guard.ts";
import { serveWithLimits } from "./rpc/request-limits.ts";
import { forwardedUpstream } from "./rpc/upstream.ts";
import type { WorkerLink } from "./workers/index.ts";

export interface GatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Plain-HTTP routes mounted before the RPC router. */
  routes?: HttpRoute[];
  /** Extra dependencies for /healthz, next to the catalog. */
  health?: Record<string, HealthCheck>;
  /** Limits RPCs per address, per user and uploads per user; each absent one is off. */
  rateLimits?: GatewayRateLimiters;
  /** Registers RPC services the gateway implements itself (e.g. uploads), next to the forwarded ones. */
  rpc?: (router: ConnectRouter, auth: GatewayAuth) => void;
  /** Set in a worker of several: /metrics answers every worker's metrics summed. */
  workerLink?: WorkerLink;
}

/**
 * How RPC implementations in the gateway learn who is calling: from the
 * caller the authenticator put into the call's context, never from headers.
 */
export interface GatewayAuth {
  caller(context: HandlerContext): GatewayCaller;
  /** The signed-in user's id, undefined when anonymous. */
  callerOf(context: HandlerContext): string | undefined;
  /** The caller and the client's address, as service calls sign them into their assertion. */
  onBehalfOf(context: HandlerContext): OnBehalfOf;
  requestIdOf(context: HandlerContext): string;
}

/**
 * What a plain-HTTP route learns of its request. A class, not an object of
 * closures: the origin answers tens of thousands of requests a second, and
 * per-request closures (named ones wrapped by the TypeScript loader) and
 * child loggers are a measurable share of each.
 */
class RequestScope implements RouteContext {
  #logger: Logger | undefined;

  constructor(
    readonly requestId: string,
    private readonly req: GatewayRequest,
    private readonly baseLogger: Logger,
    private readonly authenticator: Authenticator,
  ) {}

  /** Made when first used: most requests (a player's segments) never log. */
  get logger(): Logger {
    return (this.#logger ??= this.baseLogger.child({ requestId: this.requestId }));
  }

  caller(options: { requireCsrf?: boolean } = {}): Promise<GatewayCaller> {
    const headers = this.req.headers;
    return this.authenticator.authenticate((name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    }, { requireCsrf: options.requireCsrf ?? false });
  }
}

export interface RunningGateway {
  port: number;
  close(): Promise<void>;
}


/**
 * The one public door: Connect (JSON and binary), gRPC-Web and gRPC on one
 * port, forwarding to the services over gRPC, plus /healthz, /metrics and
 * the plain-HTTP routes given.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const limits = options.rateLimits ?? {};
  const identity = createAssertionMinter(config.identity);
  const catalog = forwardedUpstream(CatalogService, "catalog", config.catalogUrl, identity);
  // Forwarded as they are; the gateway implements uploads, playback and (around auth) cookie sessions itself.
  const upstreams = [
    catalog,
    // Engagement is served by the catalog process, next to the videos it checks against.
    forwardedUpstream(EngagementService, "catalog", config.catalogUrl, identity),
    forwardedUpstream(AnalyticsService, "analytics", config.analyticsUrl, identity),
    forwardedUpstream(NotifyService, "notify", config.notifyUrl, identity),
    forwardedUpstream(SearchService, "search", config.searchUrl, identity),
  ];
  const authClient = createGrpcClient(AuthService, config.authUrl, { identity });
  const authInternal = createGrpcClient(AuthInternalService, config.authUrl, { identity });
  const accessTokens = createAccessTokenVerifier({
    auth: authClient,
    issuer: config.accessTokenIssuer,
    audience: config.accessTokenAudience,
    logger: logger.child({ component: "access-tokens" }),
  });
  const authenticator = createAuthenticator({
    accessTokens,
    apiKeys: createApiKeyVerifier({ internal: authInternal, ttlMs: config.apiKeyCacheMs }),
    accounts: createAccountDirectory({ internal: authInternal, ttlMs: config.accountCacheMs }),
  });
  assertEveryMethodScoped(publicScopeRules);
  const registry = createMetricsRegistry("gateway");
  const metrics = createGatewayMetrics(registry);
  const cors = createCorsPolicy(config.corsOrigins);
  const ops = createOpsHandler({
    registry,
    health: { catalog: () => catalog.check(), ...options.health },
    ...(options.workerLink ? { metricsText: options.workerLink.metricsOf(registry) } : {}),
  });

  const auth: GatewayAuth = {
    caller: (context) => context.values.get(callerKey),
    callerOf: (context) => userIdOf(context.values.get(callerKey)),
    onBehalfOf(context) {
      const caller = context.values.get(callerKey);
      const clientAddress = context.values.get(clientAddressKey);
      return caller.kind === "user" ? { userId: caller.userId, role: caller.role, clientAddress } : { clientAddress };
    },
    requestIdOf: (context) => requestIdFrom(context.requestHeader.get("x-request-id") ?? undefined),
  };
  const forwarding = {
    onBehalfOf: auth.onBehalfOf,
    requestIdOf: auth.requestIdOf,
    timeoutMs: config.upstreamTimeoutMs,
    logger,
  };
  const rpc = connectNodeAdapter({
    // Applies to each message after decompression too: a small gzip body cannot inflate past it.
    readMaxBytes: config.maxRequestBytes,
    interceptors: [
      requestGuard,
      ...(limits.perAddress ? [rateLimitInterceptor(limits.perAddress, (request) => `addr:${request.contextValues.get(clientAddressKey)}`)] : []),
      authInterceptor(authenticator, publicScopeRules),
      ...(limits.perUser ? [rateLimitInterceptor(limits.perUser, (request) => userIdOf(request.contextValues.get(callerKey)))] : []),
      ...(limits.uploads
        ? [
            rateLimitInterceptor(limits.uploads, (request) =>
              request.method.parent.typeName === UploadService.typeName ? userIdOf(request.contextValues.get(callerKey)) : undefined,
            ),
          ]
        : []),
    ],
    fallback: answerUnknownRpc,
    contextValues: (req) => createContextValues().set(clientAddressKey, clientAddressOf(req, config.trustedProxies)),
    routes(router) {
      for (const upstream of upstreams) upstream.mount(router, forwarding, config.maxRequestBytes);
      serveWithLimits(
        router,
        AuthService,
        authServiceForwarding({
          client: authClient,
          ...forwarding,
          cookies: { secure: config.publicBaseUrl.startsWith("https:") },
        }),
        config.maxRequestBytes,
      );
      options.rpc?.(router, auth);
      addHealth(router, {
        overall: () => catalog.check(),
        checks: Object.fromEntries(upstreams.filter((u) => u !== catalog).map((u) => [u.service.typeName, () => u.check()])),
        watchIntervalMs: 2000,
      });
      addReflection(router);
    },
  });
  const routes = [jwksRoute(accessTokens), ...(options.routes ?? [])];
  const rpcWithText = acceptGrpcWebText(rpc);

  const server = createDualProtocolServer((req, res) => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    req.headers["x-request-id"] = requestId;
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes.find((r) => path.startsWith(r.prefix) && (r.accepts?.(req.method, path) ?? true));
    const label = route?.name ?? (path === "/healthz" || path === "/metrics" ? "ops" : "rpc");
    res.on("finish", () => metrics.observe(label, res.statusCode, (performance.now() - started) / 1000));
    for (const [name, value] of Object.entries(cors.headersFor(req.method, req.headers))) res.setHeader(name, value);
    res.setHeader("x-request-id", requestId);
    if (cors.isPreflight(req.method, req.headers)) {
      res.writeHead(204);
      res.end();
      return;
    }
    const scope = new RequestScope(requestId, req, logger, authenticator);
    if (mayHaveBody(req)) {
      watchRequestBody(req, res, { minBytesPerSecond: config.bodyMinBytesPerSecond, windowMs: config.bodyRateWindowMs }, () =>
        scope.logger.info({ route: label, method: req.method }, "request body too slow: answered 408"),
      );
    }
    void (async () => {
      if ((path === "/healthz" || path === "/metrics") && (await ops(req as never, res as never))) return;
      if (route) return route.handle(req, res, scope);
      rpcWithText(req, res);
    })().catch((error: unknown) => {
      // Plain-HTTP paths can carry capabilities (upload tokens): log the route, not the path.
      scope.logger.error({ err: error, route: label, method: req.method }, "request failed");
      if (!res.headersSent) {
        const status = KinoError.is(error, "unavailable") ? 503 : 500;
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      }
      res.end(KinoError.is(error, "unavailable") ? "service unavailable\n" : "internal error\n");
    });
  }, {
    firstBytesTimeoutMs: config.firstBytesTimeoutMs,
    headersTimeoutMs: config.headersTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
  });

  const { host, port } = splitListen(config.listen);
  const boundPort = await server.listen(host, port);
  logger.info({ port: boundPort, host }, "gateway listening");
  return {
    port: boundPort,
    async close() {
      await server.close(Math.max(100, config.shutdownTimeoutMs - 1000));
      for (const upstream of upstreams) upstream.close();
      authClient.close();
      authInternal.close();
    },
  };
}
