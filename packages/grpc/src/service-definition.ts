import { fromBinary, toBinary, type DescMessage, type DescService, type MessageShape } from "@bufbuild/protobuf";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { readRequest } from "./unreadable-request.ts";

/** The largest request message a Kino gRPC server reads (see startGrpcServer). */
export const maxRequestMessageBytes = 8 * 1024 * 1024;

function serializer(schema: DescMessage) {
  return (message: unknown) => Buffer.from(toBinary(schema, message as MessageShape<DescMessage>));
}

function deserializer(schema: DescMessage) {
  return (bytes: Buffer) => fromBinary(schema, bytes);
}

/**
 * grpc-js's view of a service, derived from the protobuf-es descriptor, so
 * servers and clients share the one generated contract. Request messages a
 * server cannot read become UnreadableRequest values, not exceptions.
 */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      originalName: method.name,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: serializer(method.input),
      requestDeserialize: (bytes: Buffer) => readRequest(method.input, bytes, maxRequestMessageBytes),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
    };
  }
  return definition;
}
