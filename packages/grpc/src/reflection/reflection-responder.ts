import { toBinary, type DescFile, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { status } from "@grpc/grpc-js";
import { createDescriptorIndex, type DescriptorIndex } from "./descriptor-index.ts";
import { ReflectionServices } from "./standard-files.ts";

/** A ServerReflectionRequest; v1 and v1alpha messages have this same shape. */
export interface ReflectionRequest {
  host: string;
  messageRequest:
    | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
    | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
    | { case: undefined; value?: undefined };
}

/** A ServerReflectionResponse to `create` with either version's schema. */
export interface ReflectionResponse {
  validHost: string;
  originalRequest: ReflectionRequest;
  messageResponse:
    | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
    | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
    | { case: "listServicesResponse"; value: { service: { name: string }[] } }
    | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };
}

/** Answers the requests of one ServerReflectionInfo stream, in order. */
export type ReflectionStream = (request: ReflectionRequest) => ReflectionResponse;

/** Server reflection over a fixed set of services. */
export interface Reflection {
  /** grpc.reflection.v1 and v1alpha ServerReflection, to register next to the services. */
  readonly services: readonly DescService[];
  /** Starts answering one ServerReflectionInfo stream; each stream remembers which files it has sent. */
  newStream(): ReflectionStream;
}

/**
 * Reflection that lists `services` and itself, and describes them from the
 * protobuf-es descriptors: each file under its real path with its real
 * imports, well-known types included, so strict descriptor pools accept them.
 */
export function createReflection(services: readonly DescService[]): Reflection {
  const index = createDescriptorIndex([...services, ...ReflectionServices]);
  const encoded = new Map<DescFile, Uint8Array>();
  const encode = (file: DescFile) => {
    let bytes = encoded.get(file);
    if (!bytes) encoded.set(file, (bytes = toBinary(FileDescriptorProtoSchema, file.proto)));
    return bytes;
  };
  return { services: ReflectionServices, newStream: () => reflectionStream(index, encode) };
}

function reflectionStream(index: DescriptorIndex, encoded: (file: DescFile) => Uint8Array): ReflectionStream {
  const sent = new Set<DescFile>();
  // As grpc-go does: the asked-for file every time, its imports once per stream.
  const files = (file: DescFile): ReflectionResponse["messageResponse"] => {
    const fileDescriptorProto = index
      .withDependencies(file)
      .filter((f, i) => i === 0 || !sent.has(f))
      .map((f) => {
        sent.add(f);
        return encoded(f);
      });
    return { case: "fileDescriptorResponse", value: { fileDescriptorProto } };
  };
  const notFound = (what: string): ReflectionResponse["messageResponse"] => ({
    case: "errorResponse",
    value: { errorCode: status.NOT_FOUND, errorMessage: `${what} not found` },
  });

  const answer = (request: ReflectionRequest["messageRequest"]): ReflectionResponse["messageResponse"] => {
    switch (request.case) {
      case "listServices":
        return { case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } };
      case "fileByFilename": {
        const file = index.fileByName(request.value);
        return file ? files(file) : notFound(`file ${request.value}`);
      }
      case "fileContainingSymbol": {
        const file = index.fileContainingSymbol(request.value);
        return file ? files(file) : notFound(`symbol ${request.value}`);
      }
      case "fileContainingExtension": {
        const { containingType, extensionNumber } = request.value;
        const file = index.fileContainingExtension(containingType, extensionNumber);
        return file ? files(file) : notFound(`extension ${extensionNumber} of ${containingType}`);
      }
      case "allExtensionNumbersOfType": {
        const extensionNumber = index.extensionNumbersOf(request.value);
        return extensionNumber
          ? { case: "allExtensionNumbersResponse", value: { baseTypeName: request.value, extensionNumber } }
          : notFound(`message type ${request.value}`);
      }
      default:
        return { case: "errorResponse", value: { errorCode: status.INVALID_ARGUMENT, errorMessage: "no request set in the message_request oneof" } };
    }
  };
  return (request) => ({ validHost: request.host, originalRequest: request, messageResponse: answer(request.messageRequest) });
}
