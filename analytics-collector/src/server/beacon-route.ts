import type { HttpRequest, HttpResponse } from "@trufflesuite/uws-js-unofficial";
import { beaconFormat } from "../ingest/parse-batch.ts";
import { answerIngest } from "./ingest-answer.ts";
import { readBody } from "./body-reader.ts";
import { clientIp, socketAddress } from "./client-ip.ts";
import { errorBody, jsonReply, send, type Reply } from "./responses.ts";
import type { RouteDeps } from "./route-deps.ts";
import { requestContext } from "./route-deps.ts";

/**
 * POST /v1/events. Headers are read synchronously (uWS's request object dies
 * with the callback), onAborted is registered before anything asynchronous,
 * and the answer is written corked once the buffer acknowledged the batch.
 */
export function beaconHandler(deps: RouteDeps) {
  const { limits, cors, metrics } = deps;

  const refuse = (res: HttpResponse, corsHeaders: [string, string][], status: number, code: string, message: string) => {
    metrics.batches.inc({ transport: "http", status });
    // The body is not read: close the connection rather than drain it.
    send(res, { ...jsonReply(status, errorBody(code, message), corsHeaders), close: true });
  };

  return (res: HttpResponse, req: HttpRequest): void => {
    const origin = req.getHeader("origin");
    const corsHeaders = cors.headers(origin);
    if (!cors.allows(origin)) return refuse(res, [], 403, "permission_denied", `origin ${origin} may not send beacons`);
    const contentType = req.getHeader("content-type");
    const format = beaconFormat(contentType);
    if (!format) {
      return refuse(res, corsHeaders, 415, "invalid_argument", `content type ${JSON.stringify(contentType)} is not accepted; send application/json, text/plain (JSON) or application/x-protobuf`);
    }
    const lengthHeader = req.getHeader("content-length");
    const declared = lengthHeader === "" ? undefined : Number(lengthHeader);
    if (declared !== undefined && !(declared <= limits.maxBodyBytes)) {
      return refuse(res, corsHeaders, 413, "resource_exhausted", `body of ${lengthHeader} bytes exceeds the limit of ${limits.maxBodyBytes} bytes`);
    }
    const userAgent = req.getHeader("user-agent");
    const forwardedFor = deps.trustProxy ? req.getHeader("x-forwarded-for") : "";
    const ip = clientIp(() => socketAddress(res), forwardedFor, deps.trustProxy);
    const receivedAtMs = Date.now();

    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    readBody(res, declared, limits.maxBodyBytes, (result) => {
      if (!result.ok) {
        res.cork(() => refuse(res, corsHeaders, 413, "resource_exhausted", `body exceeds the limit of ${limits.maxBodyBytes} bytes`));
        return;
      }
      const context = requestContext(deps, receivedAtMs, userAgent, ip);
      void answerIngest(deps.ingest, result.body, format, context, deps.ingestLog).then((answer) => {
        metrics.batches.inc({ transport: "http", status: answer.status });
        metrics.events.inc({ result: "accepted" }, answer.accepted);
        metrics.events.inc({ result: "rejected" }, answer.rejected);
        if (aborted) return;
        const headers: [string, string][] = [["Content-Type", answer.contentType], ...corsHeaders];
        if (answer.retryAfter !== undefined) headers.push(["Retry-After", String(answer.retryAfter)]);
        const reply: Reply = { status: answer.status, headers, body: answer.body };
        res.cork(() => send(res, reply));
      });
    });
  };
}

/** OPTIONS /v1/events: the CORS preflight of a player page. */
export function beaconPreflightHandler(deps: RouteDeps) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const origin = req.getHeader("origin");
    if (!deps.cors.allows(origin)) {
      send(res, jsonReply(403, errorBody("permission_denied", `origin ${origin} may not send beacons`)));
      return;
    }
    send(res, { status: 204, headers: deps.cors.preflightHeaders(origin) });
  };
}
