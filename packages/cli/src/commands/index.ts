import type { Command } from "../command.ts";
import { demoCommand } from "./demo.ts";
import { downCommand } from "./down.ts";
import { helpCommand } from "./help.ts";
import { statusCommand } from "./status.ts";
import { testCommand } from "./test.ts";
import { upCommand } from "./up.ts";
import { uploadCommand } from "./upload.ts";

const listed: readonly Command[] = [upCommand, statusCommand, downCommand, uploadCommand, demoCommand, testCommand];

export const commands: readonly Command[] = [...listed, helpCommand(listed)];
