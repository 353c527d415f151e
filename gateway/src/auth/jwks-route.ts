import type { HttpRoute } from "../http/http-route.ts";
import type { AccessTokenVerifier } from "./access-token-verifier.ts";

export const jwksPath = "/.well-known/jwks.json";

/** The keys that verify Kino's access tokens, for other verifiers (a CDN edge, a customer's server). */
export function jwksRoute(accessTokens: AccessTokenVerifier): HttpRoute {
  return {
    name: "jwks",
    prefix: jwksPath,
    async handle(req, res) {
      const path = (req.url ?? "").split("?")[0];
      if (path !== jwksPath) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("not found\n");
        return;
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
        res.end("method not allowed\n");
        return;
      }
      const body = JSON.stringify(await accessTokens.jwks());
      // A rotated key appears here within the gateway's refresh; a verifier refetches on an unknown kid.
      res.writeHead(200, { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" });
      if (req.method === "HEAD") res.end();
      else res.end(body);
    },
  };
}
