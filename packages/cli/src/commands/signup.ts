import { KinoError } from "@kino/platform";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { accountContext, askEmail, clientDescription, call, keepSession, signedInLine, withMailedCode } from "./account.ts";

/** `kino signup`: create an account, verify the email with the mailed code, and sign in. */
async function runSignup(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { email: { type: "string" }, name: { type: "string" }, gateway: { type: "string" } });
  const account = accountContext(values.gateway, context);
  try {
    const email = await askEmail(account, values.email);
    const displayName = (values.name ?? (await account.prompter.ask("display name: ", "display name"))).trim();
    const password = await account.prompter.secret("password (10 to 256 characters): ", "password");
    if (account.prompter.interactive && (await account.prompter.secret("the same password again: ", "password")) !== password) {
      throw new KinoError("invalid_argument", "the two passwords differ; nothing was sent");
    }
    await call(account, () => account.auth.signUp({ email, password, displayName }));
    process.stderr.write(`a verification code is on its way to ${email} (if that address already has an account, the mail says so instead)\n`);
    await withMailedCode(account, "verification code from the email", (code) => account.auth.verifyEmail({ email, code }));
    const { tokens } = await call(account, () => account.auth.signIn({ email, password, clientDescription: clientDescription() }));
    const userId = await keepSession(account, tokens, email);
    process.stdout.write(`email verified; ${signedInLine(account, email, userId)}`);
    return 0;
  } finally {
    account.prompter.close();
  }
}

export const signupCommand: Command = {
  name: "signup",
  summary: "create an account (asks for the password, then the code mailed to you) and sign in",
  usage: "[--email E] [--name DISPLAY_NAME] [--gateway URL]",
  run: runSignup,
};
