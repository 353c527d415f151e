import { KinoError } from "@kino/platform";
import { runDemo } from "./commands/demo.ts";
import type { Logger } from "@kino/platform";
import type { InfraUrls } from "./infra.ts";

export interface PostUpContext {
  repoRoot: string;
  dataDir: string;
  infra: InfraUrls;
  apiKeyFile: string;
  logger: Logger;
}

/** Something `kino up` runs once the whole stack is healthy. */
export interface PostUpStep {
  name: string;
  run(context: PostUpContext): Promise<void>;
}

/** `up` ends by running a demo video through the stack and printing a URL that plays. */
export const postUpSteps: readonly PostUpStep[] = [
  {
    name: "the demo (upload → transcode → play)",
    async run({ repoRoot, apiKeyFile, logger }) {
      // The admin key `up` made, over any session stored for this gateway (it may predate a wiped data dir).
      const code = await runDemo(["--api-key-file", apiKeyFile], { repoRoot, env: process.env, logger });
      if (code !== 0) throw new KinoError("internal", "the demo video did not become READY: see the logs in .kino/dev/logs");
    },
  },
];
