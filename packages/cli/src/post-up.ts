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

// Empty until the demo command exists; its step (upload and play a sample video) goes here.
export const postUpSteps: readonly PostUpStep[] = [];
