import { ConfigError, KinoError, type ConfigField } from "@kino/platform";
import { authConfigSchema } from "./config.ts";
import { validateNewPassword } from "./credential-rules.ts";
import { normaliseEmail } from "./email-address.ts";

/** A field checked by an input rule; the rule's message names the problem, never the value. */
function ruledField(env: string, description: string, check: (raw: string) => string): ConfigField<string> {
  return {
    env,
    description,
    parse(raw) {
      if (raw === undefined || raw === "") throw new ConfigError(env, "is required");
      try {
        return check(raw);
      } catch (error) {
        if (error instanceof KinoError) throw new ConfigError(env, error.message);
        throw error;
      }
    },
  };
}

/** The bootstrap command's settings: the service's database and hashing, and the admin to make. */
export const bootstrapAdminConfigSchema = {
  ...authConfigSchema,
  email: ruledField("KINO_BOOTSTRAP_EMAIL", "email of the admin to create or promote", normaliseEmail),
  // Used only when the account is created (or still unverified); an existing verified account keeps its password.
  password: ruledField("KINO_BOOTSTRAP_PASSWORD", "password of the admin, when the command creates it", validateNewPassword),
};
