import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  values: number[];
  stroke: string;
  /** A second axis on the right for this series' unit. */
  rightAxis?: string;
}

/**
 * Lines over time drawn by uPlot. Hidden from assistive technology: every
 * chart on the page has a table with the same numbers beside it.
 */
export function LineChart({ times, series, leftAxis, range }: { times: number[]; series: ChartSeries[]; leftAxis: string; range: [number, number] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const right = series.find((s) => s.rightAxis);
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 240,
        // The chosen range, in seconds, whatever the data: one point alone would make uPlot span years.
        scales: { x: { time: true, range: () => range } },
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: true }, ...(s.rightAxis ? { scale: s.rightAxis } : {}) }))],
        axes: [{}, { label: leftAxis }, ...(right?.rightAxis ? [{ side: 1, scale: right.rightAxis, label: right.rightAxis, grid: { show: false } }] : [])],
      },
      [times, ...series.map((s) => s.values)],
      element,
    );
    const resize = () => chart.setSize({ width: Math.max(280, element.clientWidth), height: 240 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.destroy();
    };
  }, [times, series, leftAxis, range[0], range[1]]);
  return <div ref={box} className="chart" aria-hidden="true" data-chart={leftAxis} />;
}
