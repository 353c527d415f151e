import { spawnSync } from "node:child_process";
import { KinoError, type Logger } from "@kino/platform";
import type { RunAs } from "../daemon/spawn-detached.ts";

function lookupUser(name: string): RunAs | undefined {
  const result = spawnSync("getent", ["passwd", name], { encoding: "utf8" });
  const fields = result.status === 0 ? result.stdout.trim().split(":") : [];
  if (fields.length < 4) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres`
 * system user (created when the Debian package did not); as anyone else, as ourselves.
 */
export function postgresRunAs(logger: Logger): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookupUser("postgres");
  if (existing) return existing;
  logger.info("creating the postgres system user");
  const created = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], {
    encoding: "utf8",
  });
  const user = created.status === 0 ? lookupUser("postgres") : undefined;
  if (!user) throw new KinoError("failed_precondition", `could not create the postgres user: ${created.stderr || created.error?.message}`);
  return user;
}

/** Whether `user` can reach `dir` (every parent must let it through). */
export function canUserReach(user: RunAs, dir: string): boolean {
  return spawnSync("test", ["-x", dir], { uid: user.uid, gid: user.gid }).status === 0;
}
