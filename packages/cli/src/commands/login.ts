import { Code } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import { hasCode, rpcError } from "../api/rpc-errors.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { accountContext, askEmail, clientDescription, call, keepSession, signedInLine, withMailedCode } from "./account.ts";

/** `kino login`: sign in with the password, or with a code mailed on request (`--code`), and keep the session. */
async function runLogin(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { email: { type: "string" }, code: { type: "boolean" }, gateway: { type: "string" } });
  const account = accountContext(values.gateway, context);
  try {
    const email = await askEmail(account, values.email);
    let tokens;
    if (values.code) {
      await call(account, () => account.auth.requestSignInCode({ email }));
      process.stderr.write(`a sign-in code is on its way to ${email} if it has an account\n`);
      ({ tokens } = await withMailedCode(account, "sign-in code from the email", (code) => account.auth.signInWithCode({ email, code, clientDescription: clientDescription() })));
    } else {
      const password = await account.prompter.secret("password: ", "password");
      try {
        ({ tokens } = await account.auth.signIn({ email, password, clientDescription: clientDescription() }));
      } catch (error) {
        if (hasCode(error, Code.FailedPrecondition)) {
          throw new KinoError("failed_precondition", `${email} is not verified yet: run ./kino login --code (the mailed code verifies it)`, { cause: error });
        }
        throw rpcError(error, account.gatewayUrl);
      }
    }
    const userId = await keepSession(account, tokens, email);
    process.stdout.write(signedInLine(account, email, userId));
    return 0;
  } finally {
    account.prompter.close();
  }
}

export const loginCommand: Command = {
  name: "login",
  summary: "sign in with your password (or --code: a one-time code by email) and keep the session for the gateway",
  usage: "[--email E] [--code] [--gateway URL]",
  run: runLogin,
};
