import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { Logger } from "@kino/platform";

export type GatewayRequest = IncomingMessage | Http2ServerRequest;
export type GatewayResponse = ServerResponse | Http2ServerResponse;

/** A plain-HTTP part of the gateway (uploads, the HLS origin) mounted under a path prefix. */
export interface HttpRoute {
  /** Label for metrics and logs. */
  name: string;
  /** e.g. "/hls/"; matched against the path without query. */
  prefix: string;
  handle(req: GatewayRequest, res: GatewayResponse, context: { requestId: string; logger: Logger }): Promise<void>;
}
