import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** Views and watch minutes over time; the same numbers are in the table beside it for screen readers. */
export function SeriesChart({ times, views, minutes }: { times: number[]; views: number[]; minutes: number[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 240,
        series: [{}, { label: "Views", stroke: "#1d4ed8", width: 2 }, { label: "Watch minutes", stroke: "#b45309", width: 2, scale: "minutes" }],
        axes: [{}, { label: "Views" }, { side: 1, scale: "minutes", label: "Minutes", grid: { show: false } }],
      },
      [times, views, minutes],
      element,
    );
    const resize = () => chart.setSize({ width: Math.max(280, element.clientWidth), height: 240 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.destroy();
    };
  }, [times, views, minutes]);
  return <div ref={box} className="chart" aria-hidden="true" />;
}
