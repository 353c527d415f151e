import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { Logger } from "@kino/platform";
import type { GatewayCaller } from "../auth/caller.ts";

export type GatewayRequest = IncomingMessage | Http2ServerRequest;
export type GatewayResponse = ServerResponse | Http2ServerResponse;

export interface RouteContext {
  requestId: string;
  /** The request's logger (its requestId bound); made on first use, so read it only when logging. */
  readonly logger: Logger;
  /**
   * Whoever the request's credentials name, through the same authenticator
   * as RPCs; asked for only by routes that care. Rejects with a KinoError
   * for credentials that are not valid. Routes that change state ask for
   * `requireCsrf`: then a session cookie counts only with its CSRF echo.
   */
  caller(options?: { requireCsrf?: boolean }): Promise<GatewayCaller>;
}

/** A plain-HTTP part of the gateway (uploads, the HLS origin) mounted under a path prefix. */
export interface HttpRoute {
  /** Label for metrics and logs. */
  name: string;
  /** e.g. "/hls/"; matched against the path without query. */
  prefix: string;
  /**
   * Narrows the prefix: a route that answers false leaves the request to the
   * next route or the RPC router (the web app at "/" takes only page GETs).
   */
  accepts?(method: string | undefined, path: string): boolean;
  handle(req: GatewayRequest, res: GatewayResponse, context: RouteContext): Promise<void>;
}
