import type { DescService } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { requestIdMetadataKey, type GrpcClient, type OnBehalfOf } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import { toConnectError } from "./connect-error.ts";

export interface ForwardOptions<S extends DescService> {
  service: S;
  client: GrpcClient<S>;
  /** Short name for messages, e.g. "catalog". */
  upstream: string;
  /** Whom the call is made for, from the request's credentials; throws to refuse it. */
  onBehalfOf(context: HandlerContext): OnBehalfOf;
  requestIdOf(context: HandlerContext): string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * A Connect implementation of `service` that authenticates each call and
 * forwards it over gRPC: the client signs the caller into the call's
 * assertion, and the request id travels as metadata.
 * Unary and server-streaming methods are forwarded; the contract has no others.
 */
export function forwardService<S extends DescService>(options: ForwardOptions<S>): ServiceImpl<S> {
  const impl: Record<string, unknown> = {};
  const client = options.client as unknown as Record<string, (req: unknown, opts: object) => unknown>;
  for (const method of options.service.methods) {
    const callOptionsOf = (context: HandlerContext) => ({
      onBehalfOf: options.onBehalfOf(context),
      headers: { [requestIdMetadataKey]: options.requestIdOf(context) },
      signal: context.signal,
    });
    const call = client[method.localName]!;
    if (method.methodKind === "unary") {
      impl[method.localName] = async (request: unknown, context: HandlerContext) => {
        try {
          return await call(request, { ...callOptionsOf(context), timeoutMs: options.timeoutMs });
        } catch (error) {
          throw toConnectError(error, options.upstream);
        }
      };
    } else if (method.methodKind === "server_streaming") {
      impl[method.localName] = async function* (request: unknown, context: HandlerContext) {
        try {
          yield* call(request, callOptionsOf(context)) as AsyncIterable<unknown>;
        } catch (error) {
          throw toConnectError(error, options.upstream);
        }
      };
    }
  }
  return impl as ServiceImpl<S>;
}
