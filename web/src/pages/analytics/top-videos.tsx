import { useQuery } from "@connectrpc/connect-query";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { Link } from "../../router/link.tsx";
import { ErrorText } from "../../ui/error-text.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import type { rangeOfDays } from "./time-range.ts";

/** The caller's most watched videos in the range. */
export function TopVideos({ range, titleOf }: { range: ReturnType<typeof rangeOfDays>; titleOf: (videoId: string) => string }) {
  const top = useQuery(AnalyticsService.method.listTopVideos, { range, pageSize: 10 });
  if (!top.data || top.data.videos.length === 0) return <ErrorText error={top.error} prefix="Could not load your top videos" />;
  return (
    <TableScroll label="Top videos">
      <table>
        <caption>Top videos</caption>
        <thead>
          <tr>
            <th scope="col">Video</th>
            <th scope="col">Views</th>
            <th scope="col">Unique viewers</th>
          </tr>
        </thead>
        <tbody>
          {top.data.videos.map((v) => (
            <tr key={v.videoId}>
              <td>
                <Link to={`/analytics/${v.videoId}`}>{titleOf(v.videoId)}</Link>
              </td>
              <td>{String(v.views)}</td>
              <td>{String(v.uniqueViewers)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
