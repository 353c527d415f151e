import type { Command } from "../command.ts";
import { demoCommand } from "./demo.ts";
import { downCommand } from "./down.ts";
import { helpCommand } from "./help.ts";
import { keysCommand } from "./keys.ts";
import { loginCommand } from "./login.ts";
import { mailCommand } from "./mail.ts";
import { logoutCommand } from "./logout.ts";
import { signupCommand } from "./signup.ts";
import { statusCommand } from "./status.ts";
import { testCommand } from "./test.ts";
import { upCommand } from "./up.ts";
import { uploadCommand } from "./upload.ts";
import { whoamiCommand } from "./whoami.ts";

const listed: readonly Command[] = [
  upCommand,
  statusCommand,
  downCommand,
  signupCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  keysCommand,
  mailCommand,
  uploadCommand,
  demoCommand,
  testCommand,
];

export const commands: readonly Command[] = [...listed, helpCommand(listed)];
