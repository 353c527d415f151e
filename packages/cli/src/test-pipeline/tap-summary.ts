const summaryLine = /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) \S+$/;

/**
 * The closing counts of a TAP report from Node's test runner ("# pass 12",
 * "# fail 0", …): the unindented summary block at its end.
 */
export function tapSummary(tap: string): string[] {
  const lines = tap.trimEnd().split("\n");
  const summary: string[] = [];
  for (let i = lines.length - 1; i >= 0 && summaryLine.test(lines[i]!); i--) summary.unshift(lines[i]!);
  return summary;
}
