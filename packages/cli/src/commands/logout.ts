import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { rpcError } from "../api/rpc-errors.ts";
import { accountContext } from "./account.ts";

/** `kino logout`: end the stored session on the server, then forget it here. */
async function runLogout(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { gateway: { type: "string" } });
  const account = accountContext(values.gateway, context);
  const session = await account.store.get(account.gatewayUrl);
  if (!session) {
    process.stdout.write(`not signed in to ${account.gatewayUrl}\n`);
    return 0;
  }
  let failure: Error | undefined;
  try {
    await account.auth.signOut({ refreshToken: session.refreshToken });
  } catch (error) {
    failure = rpcError(error, account.gatewayUrl);
  }
  await account.store.delete(account.gatewayUrl);
  if (failure) {
    process.stderr.write(
      `kino logout: could not end the session on the server: ${failure.message}\n` +
        `the credentials are deleted here; the session itself lasts until it expires\n`,
    );
    return 1;
  }
  process.stdout.write(`signed out of ${account.gatewayUrl}${session.email ? ` (${session.email})` : ""}\n`);
  return 0;
}

export const logoutCommand: Command = {
  name: "logout",
  summary: "end the session kept for the gateway and delete its stored credentials",
  usage: "[--gateway URL]",
  run: runLogout,
};
