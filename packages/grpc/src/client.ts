import { create, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import {
  credentials as grpcCredentials,
  makeGenericClientConstructor,
  Metadata,
  type CallOptions,
  type Client,
  type ClientOptions,
  type ClientReadableStream,
  type ServiceError,
} from "@grpc/grpc-js";
import { callerAssertionMetadataKey, type AssertionMinter, type OnBehalfOf } from "./identity/caller-assertion.ts";
import { grpcServiceDefinition } from "./service-definition.ts";

export interface CallOptionsLite {
  /** Sent as gRPC metadata, e.g. the request id. */
  headers?: Record<string, string>;
  /** Whom the call is made for; signed into the call's assertion by the client's identity. */
  onBehalfOf?: OnBehalfOf;
  /** Relative deadline for the call. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type UnaryClient<I extends DescMessage, O extends DescMessage> = (
  request: MessageInitShape<I>,
  options?: CallOptionsLite,
) => Promise<MessageShape<O>>;
type StreamingClient<I extends DescMessage, O extends DescMessage> = (
  request: MessageInitShape<I>,
  options?: CallOptionsLite,
) => AsyncIterable<MessageShape<O>>;

type ClientMethodFor<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? UnaryClient<I, O>
  : M extends { methodKind: "server_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? StreamingClient<I, O>
    : never;

export type GrpcClient<S extends DescService> = { [K in keyof S["method"]]: ClientMethodFor<S["method"][K]> } & {
  /** Closes the channel. */
  close(): void;
  /** Resolves once the channel is connected, or rejects after `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<void>;
};

export interface GrpcClientOptions {
  /** Signs a caller assertion into every call; without one, calls go unsigned (health checks, negative tests). */
  identity?: AssertionMinter;
  channel?: ClientOptions;
}

function callOptionsOf(options: CallOptionsLite | undefined): CallOptions {
  return options?.timeoutMs ? { deadline: Date.now() + options.timeoutMs } : {};
}

/**
 * A promise-based grpc-js client for a generated service. Failed calls reject
 * with grpc-js's ServiceError (code, details), which callers map at their edge.
 * With an identity, each call carries an assertion for this service signed by
 * it (headers given per call cannot replace it).
 */
export function createGrpcClient<S extends DescService>(
  service: S,
  address: string,
  options: GrpcClientOptions = {},
): GrpcClient<S> {
  const Constructor = makeGenericClientConstructor(grpcServiceDefinition(service), service.typeName);
  const client = new Constructor(address, grpcCredentials.createInsecure(), {
    "grpc.keepalive_time_ms": 30_000,
    ...options.channel,
  }) as Client & Record<string, (...args: unknown[]) => unknown>;
  const { identity } = options;
  const metadataOf = (callOptions: CallOptionsLite | undefined): Metadata => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(callOptions?.headers ?? {})) metadata.set(key, value);
    if (identity) metadata.set(callerAssertionMetadataKey, identity.assertionFor(service.typeName, callOptions?.onBehalfOf));
    return metadata;
  };

  const api: Record<string, unknown> = {
    close: () => client.close(),
    waitForReady: (timeoutMs: number) =>
      new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve())),
      ),
  };
  for (const method of service.methods) {
    const invoke = client[method.localName]!.bind(client);
    if (method.methodKind === "unary") {
      api[method.localName] = (request: MessageInitShape<DescMessage>, callOptions?: CallOptionsLite) =>
        new Promise((resolve, reject) => {
          const call = invoke(
            create(method.input, request),
            metadataOf(callOptions),
            callOptionsOf(callOptions),
            (error: ServiceError | null, response: unknown) => (error ? reject(error) : resolve(response)),
          ) as { cancel(): void };
          callOptions?.signal?.addEventListener("abort", () => call.cancel(), { once: true });
        });
    } else if (method.methodKind === "server_streaming") {
      api[method.localName] = (request: MessageInitShape<DescMessage>, callOptions?: CallOptionsLite) => {
        const stream = invoke(
          create(method.input, request),
          metadataOf(callOptions),
          callOptionsOf(callOptions),
        ) as ClientReadableStream<unknown>;
        callOptions?.signal?.addEventListener("abort", () => stream.cancel(), { once: true });
        return stream as AsyncIterable<unknown>;
      };
    }
  }
  return api as GrpcClient<S>;
}
