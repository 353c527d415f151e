export * from "./reflection-probe.ts";
export * from "./service-credentials.ts";
