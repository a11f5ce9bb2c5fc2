// A uPlot chart as a Preact component: created once per mount, resized with its box, data swapped in place.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export type Series = { label: string; values: (number | null)[]; color: string; scale?: string; money?: boolean };

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#db2777'];
export const color = (i: number) => PALETTE[i % PALETTE.length]!;

/** @param days YYYY-MM-DD, one per point */
export function Chart({ days, series, height = 220, title }: { days: string[]; series: Series[]; height?: number; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = [days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData;
  const shape = JSON.stringify(series.map((s) => [s.label, s.scale]));

  useEffect(() => {
    const el = box.current!;
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    plot.current = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true } },
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale ?? 'y', points: { show: days.length < 40 } }))],
        axes: [{}, ...scales.map((sc, i) => ({ scale: sc, side: i === 0 ? 3 : 1, grid: { show: i === 0 } }))],
        legend: { live: true },
      },
      data,
      el,
    );
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => plot.current?.setData(data), [JSON.stringify(data)]);

  return <div class="chart" role="img" aria-label={title} ref={box} />;
}
