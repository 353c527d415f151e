import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { KinoError, type Logger } from "@kino/platform";
import { createExecutableFinder, type ExecutableFinder } from "./executables.ts";

/** A Debian package, known to be installed when every executable it provides is found, and every file. */
export interface SystemPackage {
  name: string;
  executables: readonly string[];
  /** Absolute paths, for packages that install no executable (Python modules, say). */
  files?: readonly string[];
}

export const debianPackages = {
  postgresql: { name: "postgresql", executables: ["initdb", "postgres"] },
  redis: { name: "redis-server", executables: ["redis-server"] },
  nats: { name: "nats-server", executables: ["nats-server"] },
  clickhouseServer: { name: "clickhouse-server", executables: ["clickhouse-server"] },
  clickhouseClient: { name: "clickhouse-client", executables: ["clickhouse-client"] },
  ffmpeg: { name: "ffmpeg", executables: ["ffmpeg", "ffprobe"] },
  chromium: { name: "chromium", executables: ["chromium"] },
  nginx: { name: "nginx", executables: ["nginx"] },
  iproute2: { name: "iproute2", executables: ["ip"] },
  // For Debian's /usr/bin/python3, whatever python3 comes first on PATH.
  pythonGrpc: { name: "python3-grpcio", executables: [], files: ["/usr/lib/python3/dist-packages/grpc/__init__.py"] },
  pythonProtobuf: { name: "python3-protobuf", executables: [], files: ["/usr/lib/python3/dist-packages/google/protobuf/__init__.py"] },
} as const satisfies Record<string, SystemPackage>;

export function findMissingPackages(
  packages: readonly SystemPackage[],
  find: ExecutableFinder,
  fileExists: (path: string) => boolean = existsSync,
): SystemPackage[] {
  return packages.filter(
    (pkg) => pkg.executables.some((executable) => find(executable) === undefined) || (pkg.files ?? []).some((file) => !fileExists(file)),
  );
}

/** The commands, as argument lists, that install `missing` on Debian. */
export function aptInstallCommands(missing: readonly SystemPackage[]): string[][] {
  return [
    ["apt-get", "update"],
    ["apt-get", "install", "-y", "--no-install-recommends", ...missing.map((pkg) => pkg.name)],
  ];
}

/** The same commands as one line a user can paste. */
export function aptInstallHint(missing: readonly SystemPackage[]): string {
  const [update, install] = aptInstallCommands(missing);
  return `sudo ${update!.join(" ")} && sudo DEBIAN_FRONTEND=noninteractive ${install!.join(" ")}`;
}

export interface EnsurePackagesOptions {
  find?: ExecutableFinder;
  isRoot?: boolean;
}

function runApt(args: string[], logger: Logger): void {
  logger.info(`running ${args.join(" ")}`);
  const result = spawnSync(args[0]!, args.slice(1), {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    throw new KinoError("failed_precondition", `${args.join(" ")} failed (${result.error?.message ?? `exit code ${result.status}`})`, {
      cause: result.error,
    });
  }
}

/**
 * Installs the packages whose executables are missing: with apt-get when
 * running as root, otherwise fails with the exact command to run.
 */
export function ensureSystemPackages(packages: readonly SystemPackage[], logger: Logger, options: EnsurePackagesOptions = {}): void {
  const find = options.find ?? createExecutableFinder();
  const missing = findMissingPackages(packages, find);
  if (missing.length === 0) return;
  const names = missing.map((pkg) => pkg.name).join(", ");
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) {
    throw new KinoError("failed_precondition", `missing system packages: ${names}. Install them with:\n  ${aptInstallHint(missing)}`);
  }
  logger.info(`installing system packages: ${names}`);
  for (const command of aptInstallCommands(missing)) runApt(command, logger);
  // A fresh finder: the install may have created the postgres version directory.
  const stillMissing = findMissingPackages(missing, options.find ?? createExecutableFinder());
  if (stillMissing.length > 0) {
    throw new KinoError("failed_precondition", `still missing after apt-get install: ${stillMissing.map((p) => p.name).join(", ")}`);
  }
}
