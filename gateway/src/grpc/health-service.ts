import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { HealthService } from "@kino/grpc";

const serving = 1;
const notServing = 2;

export interface GatewayHealthOptions {
  /** The gateway's own health, asked for with the empty service name; also that of routed services without a check of their own. */
  overall: () => Promise<void>;
  /** Checks for services whose health is another upstream's. */
  checks: Record<string, () => Promise<void>>;
}

/**
 * grpc.health.v1.Health Check for the services registered on the router so
 * far (register it after them): SERVING while the upstream it depends on is,
 * NOT_FOUND for services it does not route. Watch is left unimplemented, as
 * the protocol allows.
 */
export function addHealth(router: ConnectRouter, options: GatewayHealthOptions): void {
  const routed = new Set(router.handlers.map((h) => h.service.typeName));
  router.rpc(HealthService.method.check!, (async (request: { service: string }) => {
    const check = request.service === "" || routed.has(request.service) ? (options.checks[request.service] ?? options.overall) : undefined;
    if (!check) throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
    const status = await check().then(
      () => serving,
      () => notServing,
    );
    return { status };
  }) as never);
}
