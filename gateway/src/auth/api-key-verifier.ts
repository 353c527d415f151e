import { createHash } from "node:crypto";
import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import { ApiKeyScope, type AuthInternalService, type VerifyApiKeyResponse } from "@kino/proto/auth/v1";
import { createAnswerCache } from "./answer-cache.ts";
import type { Scope } from "./caller.ts";

export interface VerifiedApiKey {
  response: VerifyApiKeyResponse;
  scopes: ReadonlySet<Scope>;
}

export interface ApiKeyVerifier {
  verify(secret: string): Promise<VerifiedApiKey>;
}

const scopeNames: Record<number, Scope> = {
  [ApiKeyScope.VIDEOS_READ]: "videos:read",
  [ApiKeyScope.VIDEOS_WRITE]: "videos:write",
  [ApiKeyScope.ANALYTICS_READ]: "analytics:read",
  [ApiKeyScope.ADMIN]: "admin",
};

export interface ApiKeyVerifierOptions {
  internal: GrpcClient<typeof AuthInternalService>;
  /**
   * How long an answer is reused. Revocation in the auth service reaches
   * every gateway process within this (the bound is 5 s).
   */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** Asks the auth service about a key and remembers the answer briefly (a refusal is asked again). */
export function createApiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const { ttlMs = 3000, maxEntries = 10_000, now = Date.now } = options;
  // Keyed by the secret's hash: no secret stays in memory longer than its request.
  const remembered = createAnswerCache<VerifiedApiKey>({ ttlMs, maxEntries, now });
  return {
    verify(secret) {
      const digest = createHash("sha256").update(secret).digest("base64url");
      return remembered(digest, () =>
        options.internal.verifyApiKey({ secret }, { timeoutMs: 5000 }).then(
          (response) => ({ response, scopes: new Set(response.scopes.map((scope) => scopeNames[scope]).filter((s): s is Scope => s !== undefined)) }),
          (error: unknown) => {
            const kino = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
            if (KinoError.is(kino, "unauthenticated")) throw new KinoError("unauthenticated", "API key is not valid");
            throw new KinoError("unavailable", "cannot check the API key: auth service unavailable", { cause: kino });
          },
        ),
      );
    },
  };
}
