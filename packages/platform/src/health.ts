/** One dependency's state, as `/healthz` reports it. */
export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: Record<string, CheckResult>;
}

export type HealthCheck = () => Promise<void>;

/**
 * Runs every check concurrently, each bounded by `timeoutMs`, and reports
 * which failed. A check fails by throwing.
 */
export async function runHealthChecks(checks: Record<string, HealthCheck>, timeoutMs = 2000): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { ok: true }];
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report = Object.fromEntries(entries);
  return { ok: entries.every(([, r]) => r.ok), checks: report };
}
