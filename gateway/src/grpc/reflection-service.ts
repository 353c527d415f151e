import type { ConnectRouter } from "@connectrpc/connect";
import { createReflection, type ReflectionRequest } from "@kino/grpc";

/**
 * Serves grpc.reflection v1 and v1alpha for every service registered on the
 * router so far, so register it last; internal services the gateway does not
 * route stay unlisted.
 */
export function addReflection(router: ConnectRouter): void {
  const reflection = createReflection([...new Set(router.handlers.map((h) => h.service))]);
  for (const service of reflection.services) {
    router.rpc(service.methods[0]!, async function* serverReflectionInfo(requests: AsyncIterable<unknown>) {
      const answer = reflection.newStream();
      for await (const request of requests) yield answer(request as ReflectionRequest);
    } as never);
  }
}
