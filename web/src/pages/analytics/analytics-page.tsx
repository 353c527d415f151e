import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { useQuery } from "@connectrpc/connect-query";
import { AnalyticsService, Dimension } from "@kino/proto/analytics/v1";
import type { Account } from "@kino/proto/auth/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { useId, useMemo, useState } from "react";
import { hasCode } from "../../api/errors.ts";
import { navigate } from "../../router/history.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Page } from "../../ui/page.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { NotFoundPage } from "../not-found-page.tsx";
import { Breakdown } from "./breakdown.tsx";
import { minutesOf } from "./figures.ts";
import { LineChart } from "./line-chart.tsx";
import { QoeOverTime } from "./qoe-over-time.tsx";
import { rangeOfDays, rangeSeconds, ranges } from "./time-range.ts";
import { TopVideos } from "./top-videos.tsx";

const dimensions: [Dimension, string][] = [
  [Dimension.DEVICE, "Device"],
  [Dimension.BROWSER, "Browser"],
  [Dimension.OS, "Operating system"],
  [Dimension.COUNTRY, "Country"],
];

/** /analytics[/<videoId>]: the figures of one of the caller's videos; another person's video does not exist here. */
export default function AnalyticsPage({ account, videoId: routeVideoId }: { account: Account; videoId?: string }) {
  const id = useId();
  const [days, setDays] = useState(7);
  const videos = useQuery(CatalogService.method.listVideos, { ownerId: account.userId, pageSize: 100 });
  const videoId = routeVideoId || videos.data?.videos[0]?.id || "";
  const preset = ranges.find((r) => r.days === days) ?? ranges[1];
  const range = useMemo(() => rangeOfDays(days), [days]);
  const enabled = videoId !== "";
  const summary = useQuery(AnalyticsService.method.getVideoSummary, { videoId, range }, { enabled, retry: false });
  const series = useQuery(AnalyticsService.method.getVideoTimeSeries, { videoId, range, granularity: preset.granularity }, { enabled });
  const qoe = useQuery(AnalyticsService.method.getQoe, { videoId, range }, { enabled });
  const titleOf = (vid: string) => videos.data?.videos.find((v) => v.id === vid)?.title ?? vid;
  const points = series.data?.points ?? [];
  const chart = useMemo(
    () => ({
      times: points.map((p) => (p.bucketStartTime ? timestampMs(p.bucketStartTime) / 1000 : 0)),
      series: [
        { label: "Views", values: points.map((p) => Number(p.totals?.views ?? 0n)), stroke: "#1d4ed8" },
        { label: "Watch minutes", values: points.map((p) => minutesOf(p.totals?.watchTimeMs)), stroke: "#b45309", rightAxis: "minutes" },
      ],
    }),
    [points],
  );
  if (hasCode(summary.error, Code.NotFound) || hasCode(summary.error, Code.InvalidArgument)) return <NotFoundPage what="video" />;
  const totals = summary.data?.totals;
  const q = qoe.data?.qoe;

  return (
    <Page title="Analytics">
      <div className="filters">
        <div className="field">
          <label htmlFor={`${id}-video`}>Video</label>
          <select id={`${id}-video`} value={videoId} onChange={(e) => navigate(`/analytics/${e.target.value}`, { replace: true })}>
            {(videos.data?.videos ?? []).map((video) => (
              <option key={video.id} value={video.id}>
                {video.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-range`}>Range</label>
          <select id={`${id}-range`} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {ranges.map((r) => (
              <option key={r.days} value={r.days}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorText error={videos.error ?? summary.error ?? series.error ?? qoe.error} prefix="Could not load the figures" />
      {videos.data && videos.data.videos.length === 0 ? <p className="empty">Upload a video to see who watches it.</p> : null}
      {totals ? (
        <dl className="figures" aria-label="Totals">
          <div>
            <dt>Views</dt>
            <dd data-figure="views">{String(totals.views)}</dd>
          </div>
          <div>
            <dt>Unique viewers</dt>
            <dd data-figure="unique-viewers">{String(totals.uniqueViewers)}</dd>
          </div>
          <div>
            <dt>Watch time</dt>
            <dd data-figure="watch-time">{minutesOf(totals.watchTimeMs).toFixed(1)} min</dd>
          </div>
        </dl>
      ) : null}
      {points.length > 0 ? (
        <section aria-labelledby={`${id}-audience`}>
          <h2 id={`${id}-audience`}>Audience over time</h2>
          <LineChart times={chart.times} series={chart.series} leftAxis="views" range={rangeSeconds(range)} />
          <TableScroll label={`Views and watch time per ${preset.days === 1 ? "hour" : "day"}`}>
            <table>
              <caption>Views and watch time per {preset.days === 1 ? "hour" : "day"}</caption>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">Views</th>
                  <th scope="col">Unique viewers</th>
                  <th scope="col">Watch minutes</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={String(p.bucketStartTime?.seconds)}>
                    <td>{p.bucketStartTime ? new Date(timestampMs(p.bucketStartTime)).toLocaleString() : ""}</td>
                    <td>{String(p.totals?.views ?? 0n)}</td>
                    <td>{String(p.totals?.uniqueViewers ?? 0n)}</td>
                    <td>{minutesOf(p.totals?.watchTimeMs).toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ) : summary.isSuccess ? (
        <p className="empty">No views in this range.</p>
      ) : null}
      {q && q.views > 0n ? (
        <section aria-labelledby={`${id}-qoe`}>
          <h2 id={`${id}-qoe`}>Quality of experience</h2>
          <dl className="figures">
            <div>
              <dt>Startup time</dt>
              <dd data-figure="startup-time">{Math.round(q.averageStartupTimeMs)} ms</dd>
            </div>
            <div>
              <dt>Rebuffer ratio</dt>
              <dd>{(q.rebufferRatio * 100).toFixed(2)}%</dd>
            </div>
            <div>
              <dt>Error rate</dt>
              <dd>{(q.errorRate * 100).toFixed(2)}%</dd>
            </div>
            <div>
              <dt>Average bitrate</dt>
              <dd>{(q.weightedAverageBitrateBps / 1000).toFixed(0)} kbps</dd>
            </div>
            <div>
              <dt>Exits before start</dt>
              <dd>{String(q.exitsBeforeStart)}</dd>
            </div>
          </dl>
          <QoeOverTime videoId={videoId} preset={preset} range={rangeSeconds(range)} />
        </section>
      ) : null}
      {enabled && totals && totals.views > 0n ? (
        <section aria-labelledby={`${id}-breakdowns`}>
          <h2 id={`${id}-breakdowns`}>Who watches</h2>
          {dimensions.map(([dimension, label]) => (
            <Breakdown key={dimension} videoId={videoId} range={range} dimension={dimension} label={label} />
          ))}
        </section>
      ) : null}
      <section aria-labelledby={`${id}-top`}>
        <h2 id={`${id}-top`}>Your top videos</h2>
        <TopVideos range={range} titleOf={titleOf} />
      </section>
    </Page>
  );
}
