import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { TokensSchema } from "@kino/proto/auth/v1";
import { signAccessToken, type AccessTokenSettings } from "./access-tokens.ts";
import type { IssuedRefreshToken } from "./refresh-tokens.ts";
import type { SigningKeys } from "./signing-keys.ts";

export type TokensInit = MessageInitShape<typeof TokensSchema>;

/** The Tokens message for a refresh token just issued: an access token for the same session beside it. */
export async function sessionTokens(
  keys: SigningKeys,
  settings: AccessTokenSettings,
  refresh: IssuedRefreshToken,
  now: Date,
): Promise<TokensInit> {
  const access = await signAccessToken(await keys.current(), { userId: refresh.userId, sessionId: refresh.familyId }, settings, now);
  return {
    accessToken: access.token,
    accessTokenExpireTime: timestampFromDate(access.expiresAt),
    refreshToken: refresh.token,
    refreshTokenExpireTime: timestampFromDate(refresh.expiresAt),
    userId: refresh.userId,
  };
}
