import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { createGrpcClient, createHealthClient, type AssertionMinter } from "@kino/grpc";
import { forwardService, type ForwardOptions } from "./forward-service.ts";
import { serveWithLimits } from "./request-limits.ts";

/** A service the gateway forwards as it is: its client, its health, and how it is mounted. */
export interface Upstream {
  service: DescService;
  /** Short name for messages, e.g. "catalog". */
  name: string;
  mount(router: ConnectRouter, forwarding: Omit<ForwardOptions<DescService>, "service" | "client" | "upstream">, maxRequestBytes: number): void;
  check(): Promise<void>;
  close(): void;
}

export function forwardedUpstream<S extends DescService>(service: S, name: string, address: string, identity: AssertionMinter): Upstream {
  const client = createGrpcClient(service, address, { identity });
  const health = createHealthClient(address);
  return {
    service,
    name,
    mount(router, forwarding, maxRequestBytes) {
      serveWithLimits(router, service, forwardService({ ...forwarding, service, client, upstream: name }), maxRequestBytes);
    },
    check: () => health.check(service.typeName),
    close() {
      client.close();
      health.close();
    },
  };
}
