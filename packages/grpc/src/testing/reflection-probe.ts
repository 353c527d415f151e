import { create, createFileRegistry, fromBinary, toBinary, type DescMethod, type DescService, type FileRegistry, type MessageShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { Client, credentials, Metadata, type ClientDuplexStream, type ClientReadableStream } from "@grpc/grpc-js";
import type { ReflectionRequest, ReflectionResponse } from "../reflection/reflection-responder.ts";
import { ReflectionServices } from "../reflection/standard-files.ts";

/** One ServerReflectionInfo stream, asked one question at a time, as grpcurl and buf curl do. */
export interface ReflectionProbe {
  ask(request: ReflectionRequest["messageRequest"]): Promise<ReflectionResponse>;
  /** The FileDescriptorProtos of a file answer, decoded; throws on an error answer. */
  files(request: ReflectionRequest["messageRequest"]): Promise<FileDescriptorProto[]>;
  close(): void;
}

/** Opens a reflection stream to `address` (host:port) in the given protocol version. */
export function openReflectionProbe(address: string, version: "v1" | "v1alpha" = "v1"): ReflectionProbe {
  const service = ReflectionServices.find((s) => s.typeName === `grpc.reflection.${version}.ServerReflection`)!;
  const method = service.methods[0]!;
  const client = new Client(address, credentials.createInsecure());
  const stream: ClientDuplexStream<unknown, MessageShape<typeof method.output>> = client.makeBidiStreamRequest(
    `/${service.typeName}/${method.name}`,
    (message: unknown) => Buffer.from(toBinary(method.input, message as MessageShape<typeof method.input>)),
    (bytes: Buffer) => fromBinary(method.output, bytes),
    new Metadata(),
  );
  const waiting: { resolve(r: ReflectionResponse): void; reject(e: Error): void }[] = [];
  stream.on("data", (response) => waiting.shift()?.resolve(response as unknown as ReflectionResponse));
  stream.on("error", (error: Error) => waiting.splice(0).forEach((w) => w.reject(error)));

  const ask = (messageRequest: ReflectionRequest["messageRequest"]) =>
    new Promise<ReflectionResponse>((resolve, reject) => {
      waiting.push({ resolve, reject });
      stream.write(create(method.input, { host: "", messageRequest } as never));
    });
  return {
    ask,
    async files(request) {
      const { messageResponse } = await ask(request);
      if (messageResponse.case !== "fileDescriptorResponse") throw new Error(`${request.case} answered ${JSON.stringify(messageResponse)}`);
      return messageResponse.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
    },
    close() {
      stream.end();
      client.close();
    },
  };
}

/**
 * A strict registry built from reflection answers alone, as a client that
 * knows nothing of the server would: every listed service's file and its
 * imports. createFileRegistry throws when an import was not served.
 */
export async function reflectedRegistry(address: string, version: "v1" | "v1alpha" = "v1"): Promise<{ services: string[]; registry: FileRegistry }> {
  const probe = openReflectionProbe(address, version);
  try {
    const listed = await probe.ask({ case: "listServices", value: "" });
    if (listed.messageResponse.case !== "listServicesResponse") throw new Error(`list_services answered ${listed.messageResponse.case}`);
    const services = listed.messageResponse.value.service.map((s) => s.name);
    const files = new Map<string, FileDescriptorProto>();
    for (const name of services) {
      for (const file of await probe.files({ case: "fileContainingSymbol", value: name })) files.set(file.name, file);
    }
    return { services, registry: createFileRegistry(create(FileDescriptorSetSchema, { file: importsFirst(files) })) };
  } finally {
    probe.close();
  }
}

// A FileDescriptorSet lists imports before their importers; reflection answers the asked-for file first.
function importsFirst(files: Map<string, FileDescriptorProto>): FileDescriptorProto[] {
  const ordered: FileDescriptorProto[] = [];
  const visit = (name: string) => {
    const file = files.get(name);
    if (!file || ordered.includes(file)) return;
    file.dependency.forEach(visit);
    ordered.push(file);
  };
  [...files.keys()].forEach(visit);
  return ordered;
}

/** Calls a unary method with dynamic messages over a raw grpc-js call: no generated code on the path. */
export function callDynamic(
  address: string,
  method: DescMethod,
  request: Record<string, unknown>,
  metadata = new Metadata(),
): Promise<MessageShape<DescMethod["output"]>> {
  const client = new Client(address, credentials.createInsecure());
  const service: DescService = method.parent;
  return new Promise<MessageShape<DescMethod["output"]>>((resolve, reject) =>
    client.makeUnaryRequest(
      `/${service.typeName}/${method.name}`,
      (message: MessageShape<DescMethod["input"]>) => Buffer.from(toBinary(method.input, message)),
      (bytes: Buffer) => fromBinary(method.output, bytes),
      create(method.input, request as never),
      metadata,
      (error, response) => (error ? reject(error) : resolve(response!)),
    ),
  ).finally(() => client.close());
}

/** Opens a server-streaming call with dynamic messages; the caller cancels it when done. */
export function streamDynamic(address: string, method: DescMethod, request: Record<string, unknown>): ClientReadableStream<MessageShape<DescMethod["output"]>> & { close(): void } {
  const client = new Client(address, credentials.createInsecure());
  const stream = client.makeServerStreamRequest(
    `/${method.parent.typeName}/${method.name}`,
    (message: MessageShape<DescMethod["input"]>) => Buffer.from(toBinary(method.input, message)),
    (bytes: Buffer) => fromBinary(method.output, bytes),
    create(method.input, request as never),
    new Metadata(),
  );
  stream.on("error", () => undefined); // cancelling it is how callers end it
  return Object.assign(stream, {
    close() {
      stream.cancel();
      client.close();
    },
  });
}
