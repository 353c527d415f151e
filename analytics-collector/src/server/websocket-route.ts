import type { WebSocket, WebSocketBehavior } from "@trufflesuite/uws-js-unofficial";
import type { ClientDevice } from "../enrich/user-agent.ts";
import { answerIngest } from "./ingest-answer.ts";
import { clientIp, socketAddress } from "./client-ip.ts";
import type { RouteDeps } from "./route-deps.ts";

interface Connection {
  device: ClientDevice;
  country: string;
  inFlight: number;
  closed: boolean;
}

/** Policy violation: the client is not behaving (not reading, flooding). */
const closePolicy = 1008;

/**
 * /v1/events/ws: each message is one batch (a text frame of JSON or a binary
 * frame of protobuf); each gets one acknowledgement in the same format, in
 * the order the batches complete (match them by batchId). uWS cannot stop
 * reading one socket, so backpressure is enforced by closing: a client that
 * leaves wsMaxBackpressureBytes of acknowledgements unread, or has too many
 * batches unacknowledged, is closed with 1008. What was acknowledged is
 * stored; the rest may be resent.
 */
export function eventsWebSocket(deps: RouteDeps): WebSocketBehavior<Connection> {
  const { limits, metrics } = deps;

  const refuse = (ws: WebSocket<Connection>, reason: string) => {
    metrics.batches.inc({ transport: "ws", status: closePolicy });
    ws.getUserData().closed = true;
    ws.end(closePolicy, reason);
  };

  return {
    maxPayloadLength: limits.maxBodyBytes,
    // uWS drops sends past this; the collector closes the client well before,
    // at wsMaxBackpressureBytes, while there is room left for the close frame.
    maxBackpressure: limits.wsMaxBackpressureBytes * 4,
    idleTimeout: 120,
    sendPingsAutomatically: true,

    upgrade(res, req, context) {
      const origin = req.getHeader("origin");
      if (!deps.cors.allows(origin)) {
        res.writeStatus("403 Forbidden").end(`origin ${origin} may not send beacons`, true);
        return;
      }
      const userAgent = req.getHeader("user-agent");
      const forwardedFor = req.getHeader("x-forwarded-for");
      const connection: Connection = {
        device: deps.describeDevice(userAgent),
        country: deps.countryOf(clientIp(() => socketAddress(res), forwardedFor, deps.trustProxy)),
        inFlight: 0,
        closed: false,
      };
      res.upgrade(
        connection,
        req.getHeader("sec-websocket-key"),
        req.getHeader("sec-websocket-protocol"),
        req.getHeader("sec-websocket-extensions"),
        context,
      );
    },

    message(ws, message, isBinary) {
      const connection = ws.getUserData();
      if (connection.closed) return;
      if (ws.getBufferedAmount() >= limits.wsMaxBackpressureBytes) return refuse(ws, "acknowledgements are not being read");
      if (connection.inFlight >= limits.wsMaxInFlight) return refuse(ws, `more than ${limits.wsMaxInFlight} batches unacknowledged`);
      // The ArrayBuffer is only valid during this callback; ingest reads it before returning.
      const body = new Uint8Array(message);
      const context = { receivedAtMs: Date.now(), device: connection.device, country: connection.country };
      connection.inFlight++;
      void answerIngest(deps.ingest, body, isBinary ? "protobuf" : "json", context, deps.ingestLog).then((answer) => {
        connection.inFlight--;
        metrics.batches.inc({ transport: "ws", status: answer.status });
        metrics.events.inc({ result: "accepted" }, answer.accepted);
        metrics.events.inc({ result: "rejected" }, answer.rejected);
        if (connection.closed) return;
        ws.cork(() => {
          // Errors always go out as JSON text carrying the status.
          const body =
            answer.status === 200
              ? answer.body
              : JSON.stringify({ status: answer.status, retryAfter: answer.retryAfter, ...JSON.parse(answer.body as string) });
          ws.send(body, answer.status === 200 && isBinary);
          if (ws.getBufferedAmount() >= limits.wsMaxBackpressureBytes) refuse(ws, "acknowledgements are not being read");
        });
      });
    },

    close(ws) {
      ws.getUserData().closed = true;
    },
  };
}
