import type { DescService } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { callerMetadataKey, requestIdMetadataKey, type GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import { toConnectError } from "./connect-error.ts";

export interface ForwardOptions<S extends DescService> {
  service: S;
  client: GrpcClient<S>;
  /** Short name for messages, e.g. "catalog". */
  upstream: string;
  /** Resolves the caller from the request; throws to refuse it. */
  callerOf(context: HandlerContext): string | undefined;
  requestIdOf(context: HandlerContext): string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * A Connect implementation of `service` that authenticates each call and
 * forwards it over gRPC, passing the caller and request id as metadata.
 * Unary and server-streaming methods are forwarded; the contract has no others.
 */
export function forwardService<S extends DescService>(options: ForwardOptions<S>): ServiceImpl<S> {
  const impl: Record<string, unknown> = {};
  const client = options.client as unknown as Record<string, (req: unknown, opts: object) => unknown>;
  for (const method of options.service.methods) {
    const headersOf = (context: HandlerContext) => {
      const callerId = options.callerOf(context);
      const headers: Record<string, string> = { [requestIdMetadataKey]: options.requestIdOf(context) };
      if (callerId) headers[callerMetadataKey] = callerId;
      return headers;
    };
    const call = client[method.localName]!;
    if (method.methodKind === "unary") {
      impl[method.localName] = async (request: unknown, context: HandlerContext) => {
        try {
          return await call(request, { headers: headersOf(context), timeoutMs: options.timeoutMs, signal: context.signal });
        } catch (error) {
          throw toConnectError(error, options.upstream);
        }
      };
    } else if (method.methodKind === "server_streaming") {
      impl[method.localName] = async function* (request: unknown, context: HandlerContext) {
        try {
          yield* call(request, { headers: headersOf(context), signal: context.signal }) as AsyncIterable<unknown>;
        } catch (error) {
          throw toConnectError(error, options.upstream);
        }
      };
    }
  }
  return impl as ServiceImpl<S>;
}
