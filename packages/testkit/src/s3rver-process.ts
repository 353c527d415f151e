import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

export interface S3rverProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts s3rver (see s3rver-main.ts) serving `bucket` from `directory` on a free port. */
export async function startS3rver(directory: string, bucket: string): Promise<S3rverProcess> {
  const main = fileURLToPath(new URL("./s3rver-main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "--import", "tsx", main, directory, bucket], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, "line").then(([line]) => line as string),
    exited.then(([code]) => {
      throw new Error(`s3rver exited with code ${String(code)} before listening`);
    }),
  ]);
  const { port } = JSON.parse(first) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
