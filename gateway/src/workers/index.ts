export { superviseWorkers, type Supervisor, type SupervisorOptions } from "./supervisor.ts";
export { createWorkerLink, processChannel, type WorkerLink, type WorkerLinkOptions } from "./worker-link.ts";
