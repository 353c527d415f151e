import { create } from "@bufbuild/protobuf";
import type { Server, ServerDuplexStream } from "@grpc/grpc-js";
import { grpcServiceDefinition } from "../service-definition.ts";
import type { Reflection, ReflectionRequest } from "./reflection-responder.ts";

/** Serves both reflection versions on a grpc-js server. */
export function addReflectionService(server: Server, reflection: Reflection): void {
  for (const service of reflection.services) {
    const method = service.methods[0]!;
    const serverReflectionInfo = (call: ServerDuplexStream<ReflectionRequest, unknown>) => {
      const answer = reflection.newStream();
      call.on("data", (request: ReflectionRequest) => call.write(create(method.output, answer(request) as never)));
      call.on("end", () => call.end());
    };
    server.addService(grpcServiceDefinition(service), { [method.localName]: serverReflectionInfo });
  }
}
