import { join } from "node:path";
import { resolveCredential, userCredentialsStore } from "../api/credential.ts";
import { gatewayUrlFrom } from "../api/gateway-url.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { makeDemoClip } from "../demo/make-demo-clip.ts";
import { verifyPlayback } from "../demo/verify-playback.ts";
import { devProfile } from "../profiles.ts";
import { runUpload } from "./upload.ts";

/** Make a clip, push it through upload → transcode → origin, and prove it plays. */
export async function runDemo(args: string[], context: CommandContext): Promise<number> {
  const values = parseCommandArgs(args, { gateway: { type: "string" }, seconds: { type: "string" }, "api-key-file": { type: "string" } });
  const gatewayUrl = gatewayUrlFrom(values.gateway, context.env);
  const seconds = Number(values.seconds ?? 6);
  // Before the clip is made: a missing sign-in should not cost an ffmpeg run first.
  const credential = await resolveCredential({
    env: context.env,
    gatewayUrl,
    store: userCredentialsStore(context.env),
    apiKeyFile: values["api-key-file"],
    devKeyRepoRoot: context.repoRoot,
  });
  const clip = join(context.repoRoot, devProfile.dataDir, "demo", `demo-${Date.now()}.mp4`);
  context.logger.info(`making a ${seconds} s 720p demo clip with ffmpeg`);
  await makeDemoClip(clip, seconds);
  const { code, result } = await runUpload({ file: clip, title: "Kino demo", wait: true, json: false, gatewayUrl, credential }, context);
  if (code !== 0 || !result.video) return code || 1;
  const master = `${gatewayUrl}${result.video.playbackPath}`;
  const seen = await verifyPlayback(master);
  process.stdout.write(
    `\nverified: ffprobe played ${seen.map((s) => `${s.width}x${s.height}`).join(", ")} from the origin\n` +
      `open it in any HLS player (Safari, VLC, ffplay, hls.js):\n\n  ${master}\n\n`,
  );
  return 0;
}

export const demoCommand: Command = {
  name: "demo",
  summary: "make a short clip with ffmpeg, upload it, wait until READY and print a URL that plays (signed in as upload is)",
  usage: "[--seconds N] [--gateway URL] [--api-key-file F]",
  run: runDemo,
};
