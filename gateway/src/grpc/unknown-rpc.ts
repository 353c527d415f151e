import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import { truncateText } from "@kino/platform";

const unimplemented = 12;

/** grpc-message is percent-encoded: bytes outside printable ASCII, and '%' itself. */
function grpcMessage(text: string): string {
  return [...Buffer.from(text)].map((b) => (b < 0x20 || b > 0x7e || b === 0x25 ? `%${b.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(b))).join("");
}

/**
 * What the RPC router answers for a path it has no handler for. gRPC and
 * gRPC-Web clients get UNIMPLEMENTED naming the method (a bare 404 reads to
 * them as a broken proxy); Connect clients get
 * the Connect error for it; anything else a plain 404.
 */
export const answerUnknownRpc: NonNullable<ConnectNodeAdapterOptions["fallback"]> = (req, res) => {
  const contentType = req.headers["content-type"] ?? "";
  // The path is the client's: quoted short, as it becomes a header or trailer.
  const method = truncateText((req.url ?? "/").split("?")[0]!.slice(1), 200);
  const message = `method ${method} is not implemented by this server`;
  const status = { "grpc-status": String(unimplemented), "grpc-message": grpcMessage(message) };
  if (contentType.startsWith("application/grpc-web")) {
    // Browsers cannot read HTTP trailers: gRPC-Web puts a trailers-only status in the headers.
    res.writeHead(200, { "content-type": contentType, ...status });
    res.end();
  } else if (contentType.startsWith("application/grpc")) {
    res.writeHead(200, { "content-type": contentType });
    res.addTrailers(status);
    res.end();
  } else if (req.headers["connect-protocol-version"] !== undefined || contentType.startsWith("application/connect+")) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: "unimplemented", message }));
  } else {
    res.writeHead(404);
    res.end();
  }
};
