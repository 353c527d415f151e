import type { DescService } from "@bufbuild/protobuf";
import type { CallOptionsLite, GrpcClient } from "./client.ts";

/**
 * The same client, with `headers` sent on every call (a call's own headers
 * win): e.g. a client that calls as one caller. Closing it closes the original.
 */
export function withCallHeaders<S extends DescService>(client: GrpcClient<S>, headers: Record<string, string>): GrpcClient<S> {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "close" || key === "waitForReady") return value;
      const call = value as (request: unknown, options?: CallOptionsLite) => unknown;
      return (request: unknown, options?: CallOptionsLite) => call(request, { ...options, headers: { ...headers, ...options?.headers } });
    },
  });
}
