import { access } from "node:fs/promises";
import { basename, join } from "node:path";
import { resolveCredential, userCredentialsStore, type Credential } from "../api/credential.ts";
import { createGatewayClients } from "../api/gateway-clients.ts";
import { gatewayUrlFrom } from "../api/gateway-url.ts";
import { parseCommandArgs } from "../args.ts";
import { UsageError, type Command, type CommandContext } from "../command.ts";
import { devProfile } from "../profiles.ts";
import { resultJson, resultText } from "../upload/result-output.ts";
import { uploadFile, type UploadResult } from "../upload/upload-file.ts";
import { uploadStateFor } from "../upload/upload-state.ts";

export interface UploadRun {
  file: string;
  title: string;
  wait: boolean;
  json: boolean;
  gatewayUrl: string;
  /** An API key in a file, used when KINO_API_KEY is unset (see resolveCredential for the order). */
  apiKeyFile?: string;
  /** Already resolved (e.g. by `demo`, before it spends time making a clip). */
  credential?: Credential;
  /** tus chunk size in bytes; smaller chunks resume from closer to where a flaky link dropped. */
  chunkSize?: number;
}

/** Shared by `upload` and `demo`: upload, follow, print, and turn the outcome into an exit code. */
export async function runUpload(run: UploadRun, { repoRoot, env }: CommandContext): Promise<{ code: number; result: UploadResult }> {
  const credential =
    run.credential ??
    (await resolveCredential({ env, gatewayUrl: run.gatewayUrl, store: userCredentialsStore(env), apiKeyFile: run.apiKeyFile, devKeyRepoRoot: repoRoot }));
  const clients = createGatewayClients(run.gatewayUrl, credential);
  const stateDir = env.KINO_UPLOAD_STATE_DIR || join(repoRoot, devProfile.dataDir, "uploads");
  const state = await uploadStateFor(stateDir, run.file, run.gatewayUrl);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  try {
    const result = await uploadFile({
      clients,
      file: run.file,
      title: run.title,
      state,
      wait: run.wait || run.json,
      showProgress: true,
      signal: controller.signal,
      chunkSize: run.chunkSize,
    });
    process.stdout.write(run.json ? `${resultJson(result, run.gatewayUrl)}\n` : resultText(result, run.gatewayUrl));
    if (result.status === "INTERRUPTED") return { code: 130, result };
    const ok = run.wait || run.json ? result.status === "READY" : result.status === "UPLOADED" || result.status === "PROCESSING" || result.status === "READY";
    return { code: ok ? 0 : 1, result };
  } finally {
    process.off("SIGINT", onSigint);
  }
}

async function runUploadCommand(args: string[], context: CommandContext): Promise<number> {
  const [file, ...rest] = args;
  if (!file || file.startsWith("-")) throw new UsageError("which file? e.g. ./kino upload clip.mp4 --wait");
  const values = parseCommandArgs(rest, {
    title: { type: "string" },
    wait: { type: "boolean" },
    json: { type: "boolean" },
    gateway: { type: "string" },
    "api-key-file": { type: "string" },
    "chunk-size": { type: "string" },
  });
  const chunkSize = values["chunk-size"] === undefined ? undefined : Number(values["chunk-size"]);
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize >= 64 * 1024)) {
    throw new UsageError("--chunk-size must be a whole number of bytes, at least 65536");
  }
  await access(file).catch(() => {
    throw new UsageError(`${file} does not exist or cannot be read`);
  });
  const { code } = await runUpload(
    {
      file,
      title: values.title ?? basename(file),
      wait: values.wait ?? false,
      json: values.json ?? false,
      gatewayUrl: gatewayUrlFrom(values.gateway, context.env),
      apiKeyFile: values["api-key-file"],
      chunkSize,
    },
    context,
  );
  return code;
}

export const uploadCommand: Command = {
  name: "upload",
  summary: "upload a video (resumable: interrupt it and run it again), optionally wait until it is READY",
  usage: "FILE [--title T] [--wait] [--json] [--gateway URL] [--api-key-file F] [--chunk-size BYTES]",
  run: runUploadCommand,
};
