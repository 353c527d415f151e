import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { pipeline } from "node:stream/promises";
import type { Logger } from "@kino/platform";
import type { GatewayRequest, GatewayResponse } from "../http/http-route.ts";
import { sendTusResponse } from "./plain-response.ts";

/** Marks a request one host already forwarded, so a misconfigured peer map cannot loop. */
export const PROXIED_HEADER = "kino-upload-proxied-by";

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, never forwarded.
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"]);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    // HTTP/2 pseudo-headers (":path") are not headers of the forwarded request.
    if (value !== undefined && !name.startsWith(":") && !hopByHop.has(name)) kept[name] = value;
  }
  return kept;
}

/**
 * Streams a tus request to the host that stages the upload and its answer
 * back, unbuffered both ways, so a resume may land on any gateway host.
 */
export async function proxyToPeer(req: GatewayRequest, res: GatewayResponse, options: { peerUrl: string; hostId: string; logger: Logger }): Promise<void> {
  const target = new URL(req.url ?? "/", options.peerUrl);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const upstream = send(target, {
    method: req.method,
    headers: { ...endToEnd(req.headers), [PROXIED_HEADER]: options.hostId },
  });
  const answered = new Promise<void>((resolve, reject) => {
    upstream.once("response", (response) => {
      const out = res as ServerResponse;
      out.writeHead(response.statusCode ?? 502, endToEnd(response.headers));
      pipeline(response, out).then(resolve, reject);
    });
    upstream.once("error", reject);
  });
  // A client that goes away mid-body takes the forwarded request down with it.
  pipeline(req, upstream).catch((error: unknown) => upstream.destroy(error as Error));
  try {
    await answered;
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    options.logger.warn({ err: error, peer: target.host }, "upload host unreachable");
    sendTusResponse(res, 503, "the host holding this upload is unavailable; retry shortly");
  }
}
