import type { us_listen_socket } from "@trufflesuite/uws-js-unofficial";
import type { Registry } from "prom-client";
import { KinoError } from "@kino/platform";
import type { Uws } from "../uws-native.ts";
import { beaconHandler, beaconPreflightHandler } from "./beacon-route.ts";
import { opsHandlers, type HealthReport } from "./ops-routes.ts";
import { errorBody, jsonReply, send } from "./responses.ts";
import type { RouteDeps } from "./route-deps.ts";
import { eventsWebSocket } from "./websocket-route.ts";

export interface CollectorServerOptions extends RouteDeps {
  uws: Uws;
  host: string;
  port: number;
  health: () => Promise<HealthReport>;
  registry: Registry;
}

export interface CollectorServer {
  readonly port: number;
  /** Stops accepting connections; open ones finish what they started. */
  close(): void;
}

export function startCollectorServer(options: CollectorServerOptions): Promise<CollectorServer> {
  const ops = opsHandlers(options);
  const app = options.uws
    .App()
    .post("/v1/events", beaconHandler(options))
    .options("/v1/events", beaconPreflightHandler(options))
    .ws("/v1/events/ws", eventsWebSocket(options))
    .get("/healthz", ops.healthz)
    .get("/metrics", ops.metrics)
    .any("/*", (res, req) => {
      send(res, jsonReply(404, errorBody("not_found", `no route for ${req.getMethod().toUpperCase()} ${req.getUrl()}`)));
    });
  return new Promise((resolve, reject) => {
    app.listen(options.host, options.port, (socket: us_listen_socket | false) => {
      if (!socket) {
        reject(new KinoError("unavailable", `cannot listen on ${options.host}:${options.port}`));
        return;
      }
      let listening: us_listen_socket | undefined = socket;
      resolve({
        port: options.uws.us_socket_local_port(socket),
        close() {
          if (listening) options.uws.us_listen_socket_close(listening);
          listening = undefined;
        },
      });
    });
  });
}
