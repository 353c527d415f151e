import type { Command } from "../command.ts";

const environment = `Environment:
  KINO_DATABASE_URL, KINO_REDIS_URL, KINO_NATS_URL, KINO_CLICKHOUSE_URL
      use an existing server for \`kino up\` instead of starting one
  KINO_TEST_POSTGRES_URL, KINO_TEST_REDIS_URL, KINO_TEST_NATS_URL, KINO_TEST_CLICKHOUSE_URL
      the same for \`kino test\`
  KINO_DEV_<SERVER>_PORT, KINO_TEST_<SERVER>_PORT  (SERVER: POSTGRES, REDIS, NATS, CLICKHOUSE_HTTP, CLICKHOUSE_TCP)
      move a server to another port when its default one is taken
  KINO_GATEWAY_URL
      the gateway the account commands, upload and demo talk to (default http://127.0.0.1:8080; --gateway wins)
  KINO_API_KEY
      an API key (kino keys create) for upload, demo and whoami; without it they use the kino login session
  XDG_CONFIG_HOME
      kino login keeps sessions, one per gateway, in $XDG_CONFIG_HOME/kino/credentials.json
      (else ~/.config/kino/credentials.json), readable by you only

Passwords and codes are never options (the command line shows in ps): on a terminal they are
asked for without echo; otherwise each is read as one line of standard input.`;

/** `kino help`: every command with its options, then the variables that change what they do. */
export function helpCommand(commands: readonly Command[]): Command {
  const help: Command = {
    name: "help",
    summary: "show this text",
    async run() {
      const entries = [...commands, help].map((c) => `  kino ${`${c.name} ${c.usage ?? ""}`.trim()}\n      ${c.summary}`);
      process.stdout.write(`Usage: ./kino <command>\n\nCommands:\n${entries.join("\n")}\n\n${environment}\n`);
      return 0;
    },
  };
  return help;
}
