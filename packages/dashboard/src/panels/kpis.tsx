// KPI cards with the change against the previous period; the arrow is green when the change is good
// (down is good for churn), and each card's title says how the number is counted.
import { Chart, color } from '../chart.js';
import { fmt, fmtChange } from '../format.js';
import type { Kpi, OverviewReport as Overview } from '@attune/edge/contract';

function Card({ name, k }: { name: string; k: Kpi }) {
  const dir = k.change === null || k.change === 0 ? 'flat' : k.change > 0 ? 'up' : 'down';
  const good = dir === 'flat' ? 'neutral' : dir === k.better ? 'good' : 'bad';
  return (
    <div class="kpi" data-kpi={name} title={k.definition}>
      <div class="kpi-label">{k.label}</div>
      <div class="kpi-value">{fmt(k.value, k.unit)}</div>
      <div class={`kpi-trend ${good}`}>
        <span aria-hidden="true">{dir === 'up' ? '▲' : dir === 'down' ? '▼' : '■'}</span> {fmtChange(k.change, k.relative, k.unit)}
        {k.previous !== null && <span class="muted"> vs {fmt(k.previous, k.unit)}</span>}
      </div>
    </div>
  );
}

export function Kpis({ data }: { data: Overview }) {
  const days = data.series.map((r) => r.day);
  return (
    <>
      <p class="muted">
        {data.period.from} – {data.period.to} ({data.period.days} days), against {data.previous.from} – {data.previous.to}
      </p>
      <div class="kpis">
        {Object.entries(data.kpis).map(([name, k]) => (
          <Card key={name} name={name} k={k} />
        ))}
      </div>
      <div class="charts">
        <figure>
          <figcaption>Visitors and orders per day</figcaption>
          <Chart
            title="Visitors and orders per day"
            days={days}
            series={[
              { label: 'Visitors', values: data.series.map((r) => r.visitors), color: color(0) },
              { label: 'Orders', values: data.series.map((r) => r.orders), color: color(1), scale: 'orders' },
            ]}
          />
        </figure>
        <figure>
          <figcaption>Revenue per day</figcaption>
          <Chart title="Revenue per day" days={days} series={[{ label: 'Revenue', values: data.series.map((r) => r.revenue), color: color(2) }]} />
        </figure>
      </div>
    </>
  );
}
