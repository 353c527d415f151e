import { ConfigError } from "@kino/platform";
import { UsageError } from "../command.ts";

/** Where `kino up` serves the public API. */
export const defaultGatewayUrl = "http://127.0.0.1:8080";

/** The gateway a command talks to: --gateway, else KINO_GATEWAY_URL, else the local stack's; without trailing slashes. */
export function gatewayUrlFrom(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = option === undefined && env.KINO_GATEWAY_URL !== undefined && env.KINO_GATEWAY_URL !== "";
  const raw = option ?? (fromEnv ? env.KINO_GATEWAY_URL! : defaultGatewayUrl);
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    const message = `${JSON.stringify(raw)} is not an http(s) URL such as ${defaultGatewayUrl}`;
    throw fromEnv ? new ConfigError("KINO_GATEWAY_URL", message) : new UsageError(`--gateway: ${message}`);
  }
  return raw.replace(/\/+$/, "");
}
