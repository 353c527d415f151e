#!/usr/bin/env -S node --import tsx
import { ConfigError, KinoError } from "@kino/platform";
import { UsageError } from "./command.ts";
import { commands } from "./commands/index.ts";
import { createConsoleLogger } from "./console-logger.ts";
import { repoRoot } from "./repo-root.ts";

async function main(argv: string[]): Promise<number> {
  const [name = "help", ...args] = argv;
  const command = commands.find((c) => c.name === name || (name === "--help" && c.name === "help"));
  const help = commands.find((c) => c.name === "help")!;
  // Under CI only warnings and errors: the step headers and test output say enough.
  const ci = process.env.CI === "true" || process.env.CI === "1";
  const context = { repoRoot: repoRoot(), env: process.env, logger: createConsoleLogger(ci ? "warn" : "info") };
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n`);
    await help.run([], context);
    return 2;
  }
  try {
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kino ${name}: ${error.message}\nusage: ./kino ${name} ${command.usage ?? ""}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`invalid configuration: ${error.message}\n`);
      return 2;
    }
    if (error instanceof KinoError) {
      process.stderr.write(`kino ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// Exit explicitly: a daemon's unref'd handles or a lingering socket must not keep the CLI waiting.
process.exit(await main(process.argv.slice(2)));
