import { KinoError } from "@kino/platform";

// One message per failure kind, whatever the cause: none tells whether an email has an account.
export const wrongCredentials = () => new KinoError("unauthenticated", "email or password is wrong");
export const wrongCode = () => new KinoError("unauthenticated", "email or code is wrong, expired or used up; ask for a new code");
export const refusedRefresh = () => new KinoError("unauthenticated", "refresh token is not valid; sign in again");

/** Only after the right password or code: by then the caller has shown the account is theirs. */
export const accountDisabled = () => new KinoError("permission_denied", "this account is disabled");
