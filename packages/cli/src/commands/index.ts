import type { Command } from "../command.ts";
import { downCommand } from "./down.ts";
import { helpCommand } from "./help.ts";
import { statusCommand } from "./status.ts";
import { testCommand } from "./test.ts";
import { upCommand } from "./up.ts";

const listed: readonly Command[] = [upCommand, statusCommand, downCommand, testCommand];

export const commands: readonly Command[] = [...listed, helpCommand(listed)];
