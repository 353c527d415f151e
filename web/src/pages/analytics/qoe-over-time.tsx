import { createQueryOptions, useTransport } from "@connectrpc/connect-query";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { useQueries } from "@tanstack/react-query";
import { useMemo } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { LineChart } from "./line-chart.tsx";
import { splitRange, type RangePreset } from "./time-range.ts";

/** Startup time, rebuffer ratio, error rate and bitrate per part of the range: one GetQoe per part. */
export function QoeOverTime({ videoId, preset, range }: { videoId: string; preset: RangePreset; range: [number, number] }) {
  const transport = useTransport();
  const parts = useMemo(() => splitRange(preset.days, preset.qoeBuckets), [preset]);
  const answers = useQueries({
    queries: parts.map((part) => createQueryOptions(AnalyticsService.method.getQoe, { videoId, range: part.range }, { transport })),
  });
  const error = answers.find((a) => a.error)?.error;
  const rows = answers.every((a) => a.data)
    ? parts.map((part, i) => ({ startMs: part.startMs, qoe: answers[i]!.data!.qoe })).filter((row) => Number(row.qoe?.views ?? 0n) > 0)
    : [];
  const chart = useMemo(
    () => ({
      times: rows.map((r) => r.startMs / 1000),
      series: [
        { label: "Startup time (ms)", values: rows.map((r) => r.qoe?.averageStartupTimeMs ?? 0), stroke: "#1d4ed8" },
        { label: "Rebuffer ratio (%)", values: rows.map((r) => (r.qoe?.rebufferRatio ?? 0) * 100), stroke: "#b45309", rightAxis: "%" },
        { label: "Error rate (%)", values: rows.map((r) => (r.qoe?.errorRate ?? 0) * 100), stroke: "#b91c1c", rightAxis: "%" },
      ],
    }),
    // rows is rebuilt every render; its content changes only with the answers, and the chart is redrawn only then.
    [answers.map((a) => a.dataUpdatedAt).join()],
  );
  if (error) return <ErrorText error={error} prefix="Could not load quality over time" />;
  if (rows.length === 0) return null;
  return (
    <>
      <LineChart times={chart.times} series={chart.series} leftAxis="ms" range={range} />
      <TableScroll label="Quality of experience over time">
        <table>
          <caption>Quality of experience over time</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Views</th>
              <th scope="col">Startup time</th>
              <th scope="col">Rebuffer ratio</th>
              <th scope="col">Error rate</th>
              <th scope="col">Average bitrate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ startMs, qoe }) => (
              <tr key={startMs}>
                <td>{new Date(startMs).toLocaleString()}</td>
                <td>{String(qoe?.views ?? 0n)}</td>
                <td>{Math.round(qoe?.averageStartupTimeMs ?? 0)} ms</td>
                <td>{((qoe?.rebufferRatio ?? 0) * 100).toFixed(2)}%</td>
                <td>{((qoe?.errorRate ?? 0) * 100).toFixed(2)}%</td>
                <td>{((qoe?.weightedAverageBitrateBps ?? 0) / 1000).toFixed(0)} kbps</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
