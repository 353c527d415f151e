import { Code, ConnectError } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { OutgoingHttpHeaders } from "node:http";
import { base64ChunkDecoder } from "./base64-chunks.ts";

type Handler = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
type Request = Parameters<Handler>[0];
type Response = Parameters<Handler>[1];

const textType = /^application\/grpc-web-text(\+proto)?\s*(;|$)/i;

function toText(chunk: unknown): unknown {
  if (typeof chunk === "string") chunk = Buffer.from(chunk);
  return chunk instanceof Uint8Array && chunk.length > 0 ? Buffer.from(Buffer.from(chunk).toString("base64"), "latin1") : chunk;
}

function textHeaders(headers: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders | undefined {
  if (!headers) return headers;
  const { "content-length": _length, ...rest } = headers;
  const contentType = rest["content-type"];
  return typeof contentType === "string" && contentType.startsWith("application/grpc-web")
    ? { ...rest, "content-type": "application/grpc-web-text+proto" }
    : rest;
}

/**
 * gRPC-Web's text mode (protoc-gen-grpc-web's default, and the only one in
 * which its client streams) is binary gRPC-Web in base64 both ways. This
 * serves it through `binary`, a binary gRPC-Web handler: the request body is
 * decoded (clients may pad each piece they send), each frame written back is
 * encoded on its own, trailer frame included, so streamed messages reach the
 * client as they are sent.
 */
export function acceptGrpcWebText(binary: Handler): Handler {
  return (req, res) => {
    const contentType = req.headers["content-type"] ?? "";
    if (!textType.test(contentType)) return binary(req, res);

    const body = base64ChunkDecoder(() => new ConnectError("request body is not base64", Code.InvalidArgument));
    req.on("error", (error) => body.destroy(error));
    req.pipe(body);
    const { "content-length": _length, ...headers } = req.headers;
    const request = Object.assign(body, {
      headers: { ...headers, "content-type": contentType.replace(/^application\/grpc-web-text(\+proto)?/i, "application/grpc-web+proto") },
      method: req.method,
      url: req.url,
      httpVersion: req.httpVersion,
      socket: req.socket,
      ...("authority" in req ? { authority: req.authority } : {}),
    }) as unknown as Request;

    const response = new Proxy(res, {
      get(target, property) {
        if (property === "writeHead") {
          return (status: number, ...rest: unknown[]) => {
            const headers = rest.at(-1);
            const message = typeof rest[0] === "string" ? [rest[0]] : [];
            return (target.writeHead as (...args: unknown[]) => Response)(status, ...message, textHeaders(headers as OutgoingHttpHeaders));
          };
        }
        if (property === "write") return (chunk: unknown, ...rest: unknown[]) => (target.write as (...args: unknown[]) => boolean)(toText(chunk), ...rest);
        if (property === "end") return (chunk?: unknown, ...rest: unknown[]) => (target.end as (...args: unknown[]) => Response)(toText(chunk), ...rest);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    binary(request, response);
  };
}
