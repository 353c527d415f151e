import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createOpsHandler, type OpsRoutesOptions } from "./ops-routes.ts";

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A small HTTP server with only `/healthz` and `/metrics`, for processes whose main port is not HTTP. */
export async function startOpsServer(options: OpsRoutesOptions & { host: string; port: number }): Promise<OpsServer> {
  const handle = createOpsHandler(options);
  const server: Server = createServer((req, res) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { "content-type": "text/plain" });
          res.end("not found\n");
        }
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
