import type { AccessTokenSettings } from "./access-tokens.ts";
import type { ApiKeyRepository } from "./api-key-repository.ts";
import type { Clock } from "./clock.ts";
import type { EmailCodes } from "./email-codes.ts";
import type { Mailer } from "./mailer.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import type { RefreshTokens } from "./refresh-tokens.ts";
import type { Sessions } from "./sessions.ts";
import type { SigningKeys } from "./signing-keys.ts";
import type { Throttles } from "./throttles.ts";
import type { Tiers } from "./tiers.ts";
import type { UserRepository } from "./user-repository.ts";

/** Everything the handlers use, made once in startAuthService. */
export interface AuthDependencies {
  users: UserRepository;
  codes: EmailCodes;
  refreshTokens: RefreshTokens;
  sessions: Sessions;
  apiKeys: ApiKeyRepository;
  keys: SigningKeys;
  hasher: PasswordHasher;
  mailer: Mailer;
  throttles: Throttles;
  tiers: Tiers;
  clock: Clock;
  tokenSettings: AccessTokenSettings;
}
