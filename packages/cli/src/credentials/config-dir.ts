import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * Where the CLI keeps what it remembers for the user: `$XDG_CONFIG_HOME/kino`,
 * else `~/.config/kino`. A relative XDG_CONFIG_HOME is ignored, as the XDG
 * base directory specification says.
 */
export function kinoConfigDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "kino");
  return join(env.HOME || homedir(), ".config", "kino");
}

export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return join(kinoConfigDir(env), "credentials.json");
}
