import type { DescService } from "@bufbuild/protobuf";
import type { CallOptionsLite, GrpcClient } from "./client.ts";

/**
 * The same client with `defaults` applied to every call (a call's own
 * options win, headers merged): e.g. a client that calls for one user.
 * Closing it closes the original.
 */
export function withCallOptions<S extends DescService>(client: GrpcClient<S>, defaults: CallOptionsLite): GrpcClient<S> {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "close" || key === "waitForReady") return value;
      const call = value as (request: unknown, options?: CallOptionsLite) => unknown;
      return (request: unknown, options?: CallOptionsLite) =>
        call(request, { ...defaults, ...options, headers: { ...defaults.headers, ...options?.headers } });
    },
  });
}
