import { classifySource, type SourceVerdict } from "./classify.ts";
import { UnplayableSourceError } from "./errors.ts";
import { probeFile, type ProbeToolOptions } from "./ffprobe.ts";
import type { ProbeResult } from "./probe-result.ts";

/** Probes and judges a file; bad media yields `{ ok: false, reason }`, never a throw. */
export async function inspectSource(path: string, options: ProbeToolOptions = {}): Promise<SourceVerdict> {
  return classifySource(await probeFile(path, options));
}

/** For callers that need a playable source: throws UnplayableSourceError with the human reason. */
export async function probeSource(path: string, options: ProbeToolOptions = {}): Promise<ProbeResult> {
  const verdict = await inspectSource(path, options);
  if (!verdict.ok) throw new UnplayableSourceError(verdict.rejection, verdict.reason);
  return verdict.probe;
}
