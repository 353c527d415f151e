import { timestampMs } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { AnalyticsService, Dimension } from "@kino/proto/analytics/v1";
import type { Account } from "@kino/proto/auth/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { useId, useMemo, useState } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { Page } from "../../ui/page.tsx";
import { SeriesChart } from "./series-chart.tsx";
import { rangeOfDays, ranges } from "./time-range.ts";

const minutesOf = (ms: bigint | undefined) => Number(ms ?? 0n) / 60_000;
const dimensions: [Dimension, string][] = [
  [Dimension.DEVICE, "Device"],
  [Dimension.BROWSER, "Browser"],
  [Dimension.OS, "Operating system"],
  [Dimension.COUNTRY, "Country"],
];

export default function AnalyticsPage({ account }: { account: Account }) {
  const id = useId();
  const [days, setDays] = useState(7);
  const videos = useQuery(CatalogService.method.listVideos, { ownerId: account.userId, pageSize: 100 });
  const [chosen, setChosen] = useState("");
  const videoId = chosen || videos.data?.videos[0]?.id || "";
  const preset = ranges.find((r) => r.days === days) ?? ranges[1];
  const range = useMemo(() => rangeOfDays(days), [days]);
  const enabled = videoId !== "";
  const summary = useQuery(AnalyticsService.method.getVideoSummary, { videoId, range }, { enabled });
  const series = useQuery(AnalyticsService.method.getVideoTimeSeries, { videoId, range, granularity: preset.granularity }, { enabled });
  const qoe = useQuery(AnalyticsService.method.getQoe, { videoId, range }, { enabled });
  const top = useQuery(AnalyticsService.method.listTopVideos, { range, pageSize: 10 });
  const titleOf = (vid: string) => videos.data?.videos.find((v) => v.id === vid)?.title ?? vid;
  const points = series.data?.points ?? [];
  const totals = summary.data?.totals;
  const q = qoe.data?.qoe;

  return (
    <Page title="Analytics">
      <div className="filters">
        <div className="field">
          <label htmlFor={`${id}-video`}>Video</label>
          <select id={`${id}-video`} value={videoId} onChange={(e) => setChosen(e.target.value)}>
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
      <ErrorText error={videos.error ?? summary.error ?? series.error ?? qoe.error ?? top.error} prefix="Could not load the figures" />
      {videos.data && videos.data.videos.length === 0 ? <p className="empty">Upload a video to see who watches it.</p> : null}
      {totals ? (
        <dl className="figures" aria-label="Totals">
          <div><dt>Views</dt><dd data-figure="views">{String(totals.views)}</dd></div>
          <div><dt>Unique viewers</dt><dd>{String(totals.uniqueViewers)}</dd></div>
          <div><dt>Watch time</dt><dd data-figure="watch-time">{minutesOf(totals.watchTimeMs).toFixed(1)} min</dd></div>
        </dl>
      ) : null}
      {points.length > 0 ? (
        <SeriesChart
          times={points.map((p) => (p.bucketStartTime ? timestampMs(p.bucketStartTime) / 1000 : 0))}
          views={points.map((p) => Number(p.totals?.views ?? 0n))}
          minutes={points.map((p) => minutesOf(p.totals?.watchTimeMs))}
        />
      ) : null}
      {points.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>Views and watch time per {preset.days === 1 ? "hour" : "day"}</caption>
            <thead><tr><th scope="col">From</th><th scope="col">Views</th><th scope="col">Unique viewers</th><th scope="col">Watch minutes</th></tr></thead>
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
        </div>
      ) : summary.isSuccess ? <p className="empty">No views in this range.</p> : null}
      {q ? (
        <section aria-labelledby={`${id}-qoe`}>
          <h2 id={`${id}-qoe`}>Quality of experience</h2>
          <dl className="figures">
            <div><dt>Startup time</dt><dd>{Math.round(q.averageStartupTimeMs)} ms</dd></div>
            <div><dt>Rebuffer ratio</dt><dd>{(q.rebufferRatio * 100).toFixed(2)}%</dd></div>
            <div><dt>Error rate</dt><dd>{(q.errorRate * 100).toFixed(2)}%</dd></div>
            <div><dt>Average bitrate</dt><dd>{(q.weightedAverageBitrateBps / 1000).toFixed(0)} kbps</dd></div>
            <div><dt>Exits before start</dt><dd>{String(q.exitsBeforeStart)}</dd></div>
          </dl>
        </section>
      ) : null}
      {enabled ? dimensions.map(([dimension, label]) => <Breakdown key={dimension} videoId={videoId} range={range} dimension={dimension} label={label} />) : null}
      {top.data && top.data.videos.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>Top videos</caption>
            <thead><tr><th scope="col">Video</th><th scope="col">Views</th><th scope="col">Unique viewers</th></tr></thead>
            <tbody>
              {top.data.videos.map((v) => (
                <tr key={v.videoId}><td>{titleOf(v.videoId)}</td><td>{String(v.views)}</td><td>{String(v.uniqueViewers)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}

function Breakdown({ videoId, range, dimension, label }: { videoId: string; range: ReturnType<typeof rangeOfDays>; dimension: Dimension; label: string }) {
  const rows = useQuery(AnalyticsService.method.getBreakdown, { videoId, range, dimension, pageSize: 10 });
  if (!rows.data || rows.data.rows.length === 0) return <ErrorText error={rows.error} prefix={`Could not load views by ${label.toLowerCase()}`} />;
  return (
    <div className="table-scroll">
      <table>
        <caption>Views by {label.toLowerCase()}</caption>
        <thead><tr><th scope="col">{label}</th><th scope="col">Views</th><th scope="col">Watch minutes</th></tr></thead>
        <tbody>
          {rows.data.rows.map((row) => (
            <tr key={row.value}><td>{row.value || "Unknown"}</td><td>{String(row.totals?.views ?? 0n)}</td><td>{minutesOf(row.totals?.watchTimeMs).toFixed(1)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
