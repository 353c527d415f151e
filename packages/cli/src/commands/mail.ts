import { parseCommandArgs } from "../args.ts";
import { UsageError, type Command, type CommandContext } from "../command.ts";
import { inboxDir, readInbox } from "../mail/dev-inbox.ts";
import { devProfile, loadProfileConfig } from "../profiles.ts";

async function runMail(args: string[], { repoRoot, env }: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { last: { type: "string" } });
  const limit = values.last === undefined ? 5 : Number(values.last);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--last must be a positive whole number");
  const config = loadProfileConfig(devProfile, repoRoot, env);
  const mails = await readInbox(inboxDir(config.dataDir), limit);
  if (mails.length === 0) {
    process.stdout.write("the local inbox is empty (mail arrives once `kino up` runs and the stack sends some)\n");
    return 0;
  }
  for (const mail of mails) {
    process.stdout.write(`--- ${mail.receivedAt}  to ${mail.to.join(", ")}\nSubject: ${mail.subject}\n\n${mail.text.trim()}\n\n`);
  }
  return 0;
}

export const mailCommand: Command = {
  name: "mail",
  summary: "print the newest messages in `kino up`'s local inbox (sign-up and sign-in codes, resets)",
  usage: "[--last N]",
  run: runMail,
};
