import { decodeSupervisorPlan } from "./supervisor-plan.ts";
import { createSupervisor } from "./supervisor.ts";

// The supervisor of one daemon, started detached by ensureDaemon; its stdout is the daemon's log.
const plan = decodeSupervisorPlan(process.env);
const log = (line: string) => process.stdout.write(`--- ${new Date().toISOString()} supervisor: ${line}\n`);
const supervisor = createSupervisor(plan, log);

// Installed before the first start, so a stop can never find a process we have not heard of.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    log(`${signal} received: stopping ${plan.name}, no restart`);
    supervisor.stop();
  });
}
// Detached: no terminal to hang up on us. SIGUSR1 comes from `kino up`, which wants it started now.
process.on("SIGHUP", () => {});
process.on("SIGUSR1", () => supervisor.startNow());

try {
  await supervisor.run();
  process.exit(0);
} catch (error) {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
}
