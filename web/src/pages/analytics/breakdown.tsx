import { useQuery } from "@connectrpc/connect-query";
import { AnalyticsService, type Dimension } from "@kino/proto/analytics/v1";
import { ErrorText } from "../../ui/error-text.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { minutesOf } from "./figures.ts";
import type { rangeOfDays } from "./time-range.ts";

/** Views by one dimension: a bar beside each count (drawn, hidden from screen readers) in the table that states the numbers. */
export function Breakdown({ videoId, range, dimension, label }: { videoId: string; range: ReturnType<typeof rangeOfDays>; dimension: Dimension; label: string }) {
  const rows = useQuery(AnalyticsService.method.getBreakdown, { videoId, range, dimension, pageSize: 10 });
  if (!rows.data || rows.data.rows.length === 0) return <ErrorText error={rows.error} prefix={`Could not load views by ${label.toLowerCase()}`} />;
  const most = Math.max(1, ...rows.data.rows.map((row) => Number(row.totals?.views ?? 0n)));
  return (
    <TableScroll label={`Views by ${label.toLowerCase()}`} className="breakdown">
      <table>
        <caption>Views by {label.toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col">Views</th>
            <th scope="col">Watch minutes</th>
          </tr>
        </thead>
        <tbody>
          {rows.data.rows.map((row) => (
            <tr key={row.value}>
              <td>{row.value || "Unknown"}</td>
              <td className="bar-cell">
                {String(row.totals?.views ?? 0n)}
                <span className="bar" aria-hidden="true" style={{ width: `${(Number(row.totals?.views ?? 0n) / most) * 100}%` }} />
              </td>
              <td>{minutesOf(row.totals?.watchTimeMs).toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
