import type { HttpResponse } from "@trufflesuite/uws-js-unofficial";

/**
 * The client's address, used for the country lookup only and never stored.
 * X-Forwarded-For is trusted only when configured (the collector sits behind
 * a proxy that appends the peer it saw): then its last entry is the client.
 * The socket's address is read only when needed: uWS copies it into a new
 * ArrayBuffer on every call, which costs several percent at beacon rates.
 */
export function clientIp(remoteAddress: () => string, forwardedFor: string, trustProxy: boolean): string {
  if (trustProxy && forwardedFor) {
    const last = forwardedFor.split(",").pop()?.trim();
    if (last) return last;
  }
  return remoteAddress();
}

/** The peer address of a uWS response's socket, as text. */
export function socketAddress(res: HttpResponse): string {
  return Buffer.from(res.getRemoteAddressAsText()).toString();
}
