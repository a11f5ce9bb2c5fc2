// Segment sizes at the end of the period, their change, and the largest ones over time.
import { Chart, color } from '../chart.js';
import { fmt } from '../format.js';
import type { SegmentsReport as SegmentsData } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import type { Query } from '../api.js';
import { Panel } from './status.js';

export function Segments({ period }: { period: Query }) {
  const state = useReport<SegmentsData>('segments', period);
  return (
    <Panel title="Segments" id="segments" state={state}>
      {(data) => {
        const top = [...data.segments].sort((a, b) => b.size - a.size).slice(0, 6);
        return (
          <>
            <SegmentTable segments={data.segments} />
            {top.length > 0 && top[0]!.series.length > 1 && (
              <figure>
                <figcaption>Members per day, largest segments</figcaption>
                <Chart title="Segment members per day" days={top[0]!.series.map((p) => p.day)} series={top.map((s, i) => ({ label: s.segment, values: s.series.map((p) => p.size), color: color(i) }))} />
              </figure>
            )}
          </>
        );
      }}
    </Panel>
  );
}

/** One row per segment; names from the log are shown as text, whatever they are called. */
export function SegmentTable({ segments }: { segments: SegmentsData['segments'] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Segment</th>
          <th class="num">Members</th>
          <th class="num">Change</th>
          <th class="num">Entered</th>
          <th class="num">Left</th>
        </tr>
      </thead>
      <tbody>
        {segments.map((s) => (
          <tr key={s.segment}>
            <td>
              {s.segment}
              {!s.configured && <span class="muted"> (no longer in the config)</span>}
            </td>
            <td class="num">{fmt(s.size)}</td>
            <td class={`num ${s.change > 0 ? 'good' : s.change < 0 ? 'bad' : ''}`}>
              {s.change > 0 ? '▲ +' : s.change < 0 ? '▼ ' : ''}
              {fmt(s.change)}
            </td>
            <td class="num">{fmt(s.entered)}</td>
            <td class="num">{fmt(s.exited)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
