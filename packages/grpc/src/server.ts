import { Server, ServerCredentials, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { DescService } from "@bufbuild/protobuf";
import { HealthImplementation } from "grpc-health-check";
import { addReflectionService } from "./reflection/grpc-js-reflection.ts";
import { createReflection } from "./reflection/reflection-responder.ts";
import { HealthService } from "./reflection/standard-files.ts";
import { grpcServiceDefinition, maxRequestMessageBytes } from "./service-definition.ts";

export interface GrpcServiceBinding {
  service: DescService;
  implementation: UntypedServiceImplementation;
}

export interface StartGrpcServerOptions {
  /** host:port; port 0 picks a free one. */
  listen: string;
  services: GrpcServiceBinding[];
}

export interface GrpcServer {
  readonly port: number;
  readonly health: HealthImplementation;
  /** Stops accepting calls and waits for in-flight ones, forcing after `graceMs`. */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * A gRPC server (HTTP/2) with the standard health protocol and server
 * reflection next to the given services, so grpcurl, grpc_health_probe and
 * other stacks can discover and call it.
 */
export async function startGrpcServer(options: StartGrpcServerOptions): Promise<GrpcServer> {
  // grpc-js's own cap only bounds memory; the contract's limit, with a Kino
  // message, is checked when the request is read (maxRequestMessageBytes).
  const server = new Server({ "grpc.max_receive_message_length": 4 * maxRequestMessageBytes });
  const health = new HealthImplementation({ "": "SERVING" });
  for (const { service, implementation } of options.services) {
    server.addService(grpcServiceDefinition(service), implementation);
    health.setStatus(service.typeName, "SERVING");
  }
  health.addToServer(server);
  addReflectionService(server, createReflection([...options.services.map((s) => s.service), HealthService]));

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(options.listen, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );

  return {
    port,
    health,
    shutdown: (graceMs) =>
      new Promise<void>((resolve) => {
        for (const { service } of options.services) health.setStatus(service.typeName, "NOT_SERVING");
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
