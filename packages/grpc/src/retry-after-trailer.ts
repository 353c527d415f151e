import { Metadata, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { CallContext } from "./server-handlers.ts";

export const retryAfterMetadataKey = "retry-after";

/**
 * Carries a throttled call's retry-after from its handler to the status
 * trailers: grpcImplementation turns a KinoError into code and message
 * only, so the handler notes the seconds against the call's metadata (the
 * context and the grpc-js call share that object) and the wrapped
 * implementation adds them to the error it sends. The gateway passes the
 * trailer on as a `retry-after` header.
 */
export interface RetryAfterNotes {
  note(context: CallContext, seconds: number): void;
  /** Wraps every unary method of `implementation` to send noted retry-afters as trailing metadata. */
  trailers(implementation: UntypedServiceImplementation): UntypedServiceImplementation;
}

export function createRetryAfterNotes(): RetryAfterNotes {
  const noted = new WeakMap<Metadata, number>();
  return {
    note(context, seconds) {
      noted.set(context.metadata, seconds);
    },
    trailers(implementation) {
      const wrapped: UntypedServiceImplementation = {};
      for (const [name, handle] of Object.entries(implementation)) {
        const unary = handle as (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => void;
        wrapped[name] = ((call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
          unary(call, (error, value, trailer, flags) => {
            const seconds = error ? noted.get(call.metadata) : undefined;
            if (error && seconds !== undefined) {
              const metadata = error.metadata ?? new Metadata();
              metadata.set(retryAfterMetadataKey, String(seconds));
              return callback({ ...error, metadata }, value, trailer, flags);
            }
            callback(error, value, trailer, flags);
          })) as typeof handle;
      }
      return wrapped;
    },
  };
}
