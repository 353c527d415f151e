/**
 * Typed configuration read from environment variables. A schema is a record
 * of fields; `parseConfig` reads every field once and reports the first bad
 * value with the variable's name.
 */
export interface ConfigField<T> {
  readonly env: string;
  readonly description: string;
  parse(raw: string | undefined): T;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.variable = variable;
  }
}

type Parser<T> = (raw: string, env: string) => T;

function field<T>(env: string, description: string, fallback: T | undefined, parse: Parser<T>): ConfigField<T> {
  return {
    env,
    description,
    parse(raw) {
      if (raw === undefined || raw === "") {
        if (fallback === undefined) throw new ConfigError(env, "is required");
        return fallback;
      }
      return parse(raw, env);
    },
  };
}

export interface FieldOptions<T> {
  description: string;
  default?: T;
}

export function stringField(env: string, options: FieldOptions<string>): ConfigField<string> {
  return field(env, options.description, options.default, (raw) => raw);
}

export function intField(
  env: string,
  options: FieldOptions<number> & { min?: number; max?: number },
): ConfigField<number> {
  return field(env, options.description, options.default, (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(env, `expected an integer, got ${JSON.stringify(raw)}`);
    const value = Number(raw);
    if (options.min !== undefined && value < options.min) throw new ConfigError(env, `must be at least ${options.min}, got ${value}`);
    if (options.max !== undefined && value > options.max) throw new ConfigError(env, `must be at most ${options.max}, got ${value}`);
    return value;
  });
}

export function boolField(env: string, options: FieldOptions<boolean>): ConfigField<boolean> {
  return field(env, options.description, options.default, (raw) => {
    const v = raw.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(v)) return true;
    if (["0", "false", "no", "off"].includes(v)) return false;
    throw new ConfigError(env, `expected true or false, got ${JSON.stringify(raw)}`);
  });
}

export function enumField<const T extends string>(
  env: string,
  values: readonly T[],
  options: FieldOptions<T>,
): ConfigField<T> {
  return field(env, options.description, options.default, (raw) => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(env, `expected one of ${values.join(", ")}, got ${JSON.stringify(raw)}`);
    }
    return raw as T;
  });
}

/** A URL whose protocol is one of `protocols` (without the colon). */
export function urlField(
  env: string,
  protocols: readonly string[],
  options: FieldOptions<string>,
): ConfigField<string> {
  return field(env, options.description, options.default, (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(env, `expected a URL (${protocols.map((p) => `${p}://…`).join(" or ")}), got ${JSON.stringify(redactUrl(raw))}`);
    }
    const protocol = url.protocol.replace(/:$/, "");
    if (!protocols.includes(protocol)) {
      throw new ConfigError(env, `expected a ${protocols.join(" or ")} URL, got ${protocol}://`);
    }
    return raw;
  });
}

/** Splits a value `listenField` accepted, e.g. "127.0.0.1:8080" or "[::1]:8080". */
export function splitListen(listen: string): { host: string; port: number } {
  const index = listen.lastIndexOf(":");
  return { host: listen.slice(0, index).replace(/^\[(.*)\]$/, "$1"), port: Number(listen.slice(index + 1)) };
}

/** host:port, e.g. "127.0.0.1:8080". */
export function listenField(env: string, options: FieldOptions<string>): ConfigField<string> {
  return field(env, options.description, options.default, (raw) => {
    const match = /^(.*):(\d{1,5})$/.exec(raw);
    const port = match ? Number(match[2]) : NaN;
    if (!match || !match[1] || port > 65535) throw new ConfigError(env, `expected host:port, got ${JSON.stringify(raw)}`);
    return raw;
  });
}

export type ConfigSchema = Record<string, ConfigField<unknown>>;
export type ConfigOf<S extends ConfigSchema> = { readonly [K in keyof S]: S[K] extends ConfigField<infer T> ? T : never };

export function parseConfig<S extends ConfigSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(schema)) out[key] = f.parse(env[f.env]);
  return out as ConfigOf<S>;
}

/**
 * For `main`: parse, or print one line naming the variable and exit 2.
 */
export function loadConfigOrExit<S extends ConfigSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Hides the password of a URL so it can be printed or logged. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
  }
}
