import { create, type DescMessage, type DescMethod, type DescService, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
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
import { requestIdOf } from "./caller.ts";
import type { AssertionVerifier } from "./identity/assertion-verifier.ts";
import { callerAssertionMetadataKey } from "./identity/caller-assertion.ts";
import { checkCallerRule, ruleFor, type CallerRules } from "./identity/caller-rules.ts";
import { grpcStatusOf } from "./status-mapping.ts";
import { UnreadableRequest } from "./unreadable-request.ts";

/** What a handler knows of the call besides its request. */
export interface CallContext {
  /** The user the call is made for, from a verified caller assertion; undefined for anonymous viewers and services acting for themselves. */
  callerId: string | undefined;
  /** The user's role, as the signing service vouched for it; undefined without a user. */
  callerRole: "user" | "admin" | undefined;
  /** The service identity that signed the call's assertion, e.g. "gateway". */
  principal: string;
  /** The end client's network address as the gateway saw it, when the call came through it. */
  clientAddress: string | undefined;
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

/** How a service learns who calls it: the keys it trusts, and who may call which method. */
export interface ServiceAccess {
  verifier: AssertionVerifier;
  rules: CallerRules;
}

type AnyCall = ServerUnaryCall<MessageShape<DescMessage>, unknown> | ServerWritableStream<MessageShape<DescMessage>, unknown>;

function requestLoggerOf(call: AnyCall, logger: Logger, method: string): { requestId: string; logger: Logger } {
  const requestId = requestIdOf(call.metadata) ?? randomUUID();
  return { requestId, logger: logger.child({ requestId, method }) };
}

/** Verifies the call's assertion and its rule; rejects with Unauthenticated or PermissionDenied. */
async function contextOf(
  call: AnyCall,
  base: { requestId: string; logger: Logger },
  access: ServiceAccess,
  service: DescService,
  method: DescMethod,
): Promise<CallContext> {
  const token = call.metadata.get(callerAssertionMetadataKey)[0];
  if (typeof token !== "string" || token === "") {
    throw new KinoError("unauthenticated", `${service.typeName} answers only calls that carry a signed caller assertion (${callerAssertionMetadataKey})`);
  }
  const caller = await access.verifier.verify(token, service.typeName);
  checkCallerRule(ruleFor(access.rules, method.localName), caller, `${service.typeName}/${method.name}`);
  const controller = new AbortController();
  call.on("cancelled", () => controller.abort(new KinoError("unavailable", "call cancelled")));
  if (call.cancelled) controller.abort(new KinoError("unavailable", "call cancelled"));
  return {
    callerId: caller.userId,
    callerRole: caller.role,
    principal: caller.principal,
    clientAddress: caller.clientAddress,
    requestId: base.requestId,
    metadata: call.metadata,
    logger: caller.userId ? base.logger.child({ callerId: caller.userId }) : base.logger,
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
  access: ServiceAccess,
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const method of service.methods) {
    const handler = (handlers as Record<string, unknown>)[method.localName];
    if (typeof handler !== "function") throw new Error(`no handler for ${service.typeName}.${method.name}`);
    if (method.methodKind === "unary") {
      const unary = handler as Unary<DescMessage, DescMessage>;
      const handleUnary = (call: ServerUnaryCall<MessageShape<DescMessage>, unknown>, callback: sendUnaryData<unknown>) => {
        const base = requestLoggerOf(call, logger, method.name);
        if (call.request instanceof UnreadableRequest) return callback(toServiceError(call.request.error, base.logger));
        const request = call.request;
        contextOf(call, base, access, service, method)
          .then((context) => unary(request, context))
          .then(
            (response) => callback(null, create(method.output, response)),
            (error: unknown) => callback(toServiceError(error, base.logger)),
          );
      };
      impl[method.localName] = handleUnary as UntypedHandleCall;
    } else if (method.methodKind === "server_streaming") {
      const streaming = handler as ServerStreaming<DescMessage, DescMessage>;
      const handleStreaming = (call: ServerWritableStream<MessageShape<DescMessage>, unknown>) => {
        const base = requestLoggerOf(call, logger, method.name);
        if (call.request instanceof UnreadableRequest) {
          call.emit("error", toServiceError(call.request.error, base.logger));
          return;
        }
        void (async () => {
          let context: CallContext;
          try {
            context = await contextOf(call, base, access, service, method);
          } catch (error) {
            call.emit("error", toServiceError(error, base.logger));
            return;
          }
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
