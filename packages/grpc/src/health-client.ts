import { credentials, makeGenericClientConstructor, type Client } from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

export interface HealthClient {
  /** Resolves when `service` reports SERVING; rejects with why otherwise. */
  check(service: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** A client for the standard grpc.health.v1 protocol, to check a Kino service from another process. */
export function createHealthClient(address: string): HealthClient {
  const Constructor = makeGenericClientConstructor(healthService, "grpc.health.v1.Health");
  const client = new Constructor(address, credentials.createInsecure()) as unknown as Client & {
    check(request: object, options: object, callback: (error: Error | null, response?: { status: unknown }) => void): void;
  };
  return {
    check: (service, timeoutMs = 1500) =>
      new Promise((resolve, reject) =>
        client.check({ service }, { deadline: Date.now() + timeoutMs }, (error, response) => {
          if (error) return reject(new Error(`health check of ${address} failed: ${error.message}`, { cause: error }));
          const status = response?.status;
          if (status === "SERVING" || status === 1) return resolve();
          reject(new Error(`${service || address} is ${String(status)}`));
        }),
      ),
    close: () => client.close(),
  };
}
