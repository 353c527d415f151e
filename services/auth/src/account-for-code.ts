import type { CallContext } from "@kino/grpc";
import { accountDisabled, wrongCode } from "./account-errors.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { presentedCode } from "./credential-rules.ts";
import { normaliseEmail } from "./email-address.ts";
import type { CodePurpose, UserRow } from "./schema.ts";

/**
 * The account a code was mailed to, if `rawCode` is its live code for
 * `purpose` (spent by this call). The code proves the mailbox, so the email
 * is verified too. Each try counts against the client address's limit.
 */
export async function accountForCode(
  deps: Pick<AuthDependencies, "users" | "codes" | "throttles" | "clock">,
  context: CallContext,
  request: { email: string; code: string },
  purpose: CodePurpose,
): Promise<UserRow> {
  const { users, codes, throttles, clock } = deps;
  const email = normaliseEmail(request.email);
  const code = presentedCode(request.code);
  const attempt = await throttles.codeAttempt(context.clientAddress);
  const user = await users.findByEmail(email);
  if (!user || !code || !(await codes.consume(user.id, purpose, code, clock()))) throw wrongCode();
  await attempt.succeeded();
  if (user.disabled_at !== null) throw accountDisabled();
  await users.markVerified(user.id, clock());
  return user;
}
