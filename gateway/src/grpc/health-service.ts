import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { HealthService } from "@kino/grpc";
import { truncateText } from "@kino/platform";
import { setTimeout as sleep } from "node:timers/promises";

// grpc.health.v1.HealthCheckResponse.ServingStatus
const serving = 1;
const notServing = 2;
const serviceUnknown = 3;

export interface GatewayHealthOptions {
  /** The gateway's own health, asked for with the empty service name; also that of routed services without a check of their own. */
  overall: () => Promise<void>;
  /** Checks for services whose health is another upstream's. */
  checks: Record<string, () => Promise<void>>;
  /** How often a Watch stream asks its upstream again. */
  watchIntervalMs: number;
}

/**
 * grpc.health.v1.Health for the services registered on the router so far
 * (register it after them): SERVING while the upstream it depends on is.
 * Check answers NOT_FOUND for a service the gateway does not route; Watch
 * (what gRPC clients' own health checking uses) sends SERVICE_UNKNOWN for
 * one, as the protocol says, and each change of status otherwise.
 */
export function addHealth(router: ConnectRouter, options: GatewayHealthOptions): void {
  const routed = new Set(router.handlers.map((h) => h.service.typeName));
  const checkFor = (service: string) =>
    service === "" || routed.has(service) ? (options.checks[service] ?? options.overall) : undefined;
  const statusOf = (check: () => Promise<void>) =>
    check().then(
      () => serving,
      () => notServing,
    );

  router.rpc(HealthService.method.check!, (async (request: { service: string }) => {
    const check = checkFor(request.service);
    if (!check) throw new ConnectError(`unknown service ${truncateText(request.service, 200)}`, Code.NotFound);
    return { status: await statusOf(check) };
  }) as never);

  router.rpc(HealthService.method.watch!, async function* watch(request: { service: string }, context: HandlerContext) {
    const check = checkFor(request.service);
    let last: number | undefined;
    while (!context.signal.aborted) {
      const status = check ? await statusOf(check) : serviceUnknown;
      if (status !== last) yield { status: (last = status) };
      await sleep(options.watchIntervalMs, undefined, { signal: context.signal }).catch(() => undefined);
    }
  } as never);
}
