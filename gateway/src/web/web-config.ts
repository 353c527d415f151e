import { ConfigError, stringField, type ConfigField } from "@kino/platform";

const defaultCollectorUrl = "http://127.0.0.1:8090";

/** The collector the web app's player reports to; "off" sends no beacons (the CSP then allows none). */
function collectorField(env: string): ConfigField<string | undefined> {
  return {
    env,
    description: `analytics collector the web app's player sends beacons to (default ${defaultCollectorUrl}, kino up's); "off" for none`,
    parse(raw) {
      const value = raw === undefined || raw.trim() === "" ? defaultCollectorUrl : raw.trim();
      if (value === "off") return undefined;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new ConfigError(env, `expected an http(s) URL or "off", got ${JSON.stringify(value)}`);
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(env, `expected an http(s) URL or "off", got ${url.protocol}//`);
      return value.replace(/\/+$/, "");
    },
  };
}

/** Settings of the web app the gateway serves at "/"; spread into the gateway's config schema. */
export const webConfigSchema = {
  webDir: stringField("KINO_WEB_DIR", {
    description: "directory of the built web app (pnpm --filter @kino/web build); relative paths start at the working directory",
    default: "web/dist",
  }),
  webCollectorUrl: collectorField("KINO_WEB_COLLECTOR_URL"),
};
