import { create, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import {
  Metadata,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { KinoError, truncateText, type Logger } from "@kino/platform";
import { randomUUID } from "node:crypto";
import { callerIdOf, requestIdOf } from "./caller.ts";
import { grpcStatusOf } from "./status-mapping.ts";
import { UnreadableRequest } from "./unreadable-request.ts";

/** What a handler knows of the call besides its request. */
export interface CallContext {
  /** The authenticated caller, if any. */
  callerId: string | undefined;
  requestId: string;
  logger: Logger;
  metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
}

type Unary<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  context: CallContext,
) => Promise<MessageInitShape<O>>;
type ServerStreaming<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  context: CallContext,
) => AsyncIterable<MessageInitShape<O>>;

type HandlerFor<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? Unary<I, O>
  : M extends { methodKind: "server_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? ServerStreaming<I, O>
    : never;

/** Typed handlers for every method of a generated service. */
export type ServiceHandlers<S extends DescService> = { [K in keyof S["method"]]: HandlerFor<S["method"][K]> };

interface ServiceErrorShape {
  code: GrpcStatus;
  details: string;
  metadata?: Metadata;
}

// Messages travel as a trailer: one that echoes a huge input would be a huge
// trailer, which stalls the HTTP/2 connection it shares with other calls.
const maxDetailsLength = 1024;

function toServiceError(error: unknown, logger: Logger): ServiceErrorShape {
  if (error instanceof KinoError) {
    if (error.code === "internal" || error.code === "unavailable") logger.warn({ err: error }, error.message);
    return { code: grpcStatusOf(error.code), details: truncateText(error.message, maxDetailsLength) };
  }
  logger.error({ err: error }, "unhandled error");
  return { code: GrpcStatus.INTERNAL, details: "internal error" };
}

function contextOf(
  call: ServerUnaryCall<MessageShape<DescMessage>, unknown> | ServerWritableStream<MessageShape<DescMessage>, unknown>,
  logger: Logger,
  method: string,
): CallContext {
  const controller = new AbortController();
  call.on("cancelled", () => controller.abort(new KinoError("unavailable", "call cancelled")));
  const requestId = requestIdOf(call.metadata) ?? randomUUID();
  return {
    callerId: callerIdOf(call.metadata),
    requestId,
    metadata: call.metadata,
    logger: logger.child({ requestId, method }),
    signal: controller.signal,
  };
}

/**
 * Adapts typed handlers to grpc-js. Every error leaves through the one
 * KinoError → gRPC status mapping; anything else is logged and becomes an
 * opaque INTERNAL so internals never leak to callers.
 */
export function grpcImplementation<S extends DescService>(
  service: S,
  handlers: ServiceHandlers<S>,
  logger: Logger,
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const method of service.methods) {
    const handler = (handlers as Record<string, unknown>)[method.localName];
    if (typeof handler !== "function") throw new Error(`no handler for ${service.typeName}.${method.name}`);
    if (method.methodKind === "unary") {
      const unary = handler as Unary<DescMessage, DescMessage>;
      const handleUnary = (call: ServerUnaryCall<MessageShape<DescMessage>, unknown>, callback: sendUnaryData<unknown>) => {
        const context = contextOf(call, logger, method.name);
        if (call.request instanceof UnreadableRequest) return callback(toServiceError(call.request.error, context.logger));
        unary(call.request, context).then(
          (response) => callback(null, create(method.output, response)),
          (error: unknown) => callback(toServiceError(error, context.logger)),
        );
      };
      impl[method.localName] = handleUnary as UntypedHandleCall;
    } else if (method.methodKind === "server_streaming") {
      const streaming = handler as ServerStreaming<DescMessage, DescMessage>;
      const handleStreaming = (call: ServerWritableStream<MessageShape<DescMessage>, unknown>) => {
        const context = contextOf(call, logger, method.name);
        if (call.request instanceof UnreadableRequest) {
          call.emit("error", toServiceError(call.request.error, context.logger));
          return;
        }
        void (async () => {
          try {
            for await (const message of streaming(call.request, context)) {
              if (context.signal.aborted) return;
              if (!call.write(create(method.output, message))) {
                await new Promise((resolve) => call.once("drain", resolve));
              }
            }
            call.end();
          } catch (error) {
            // grpc-js turns an "error" event on a server stream into the call's status.
            if (!context.signal.aborted) call.emit("error", toServiceError(error, context.logger));
          }
        })();
      };
      impl[method.localName] = handleStreaming as UntypedHandleCall;
    } else {
      throw new Error(`${method.methodKind} methods are not supported (${service.typeName}.${method.name})`);
    }
  }
  return impl;
}
