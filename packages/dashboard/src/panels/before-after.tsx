// Before/after around a date: the marketer names a change's day and a KPI, and sees both windows.
import { useState } from 'preact/hooks';
import { fmt, fmtChange } from '../format.js';
import type { BeforeAfterReport as Result } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import { Panel } from './status.js';

const METRICS = ['conversion_rate', 'visitors', 'orders', 'revenue', 'aov', 'repeat_purchase_rate', 'churn', 'nps'];

export function BeforeAfter({ site, defaultDate }: { site?: string; defaultDate: string }) {
  const [form, setForm] = useState({ date: defaultDate, metric: 'conversion_rate', days: '14' });
  const [query, setQuery] = useState(form);
  const state = useReport<Result>('before-after', { site, ...query });
  return (
    <Panel title="Before / after" id="before-after" state={state}>
      {(r) => (
        <>
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              setQuery(form);
            }}
          >
            <label>
              Change on <input type="date" name="date" value={form.date} onInput={(e) => setForm({ ...form, date: e.currentTarget.value })} />
            </label>
            <label>
              Metric{' '}
              <select name="metric" value={form.metric} onChange={(e) => setForm({ ...form, metric: e.currentTarget.value })}>
                {METRICS.map((m) => (
                  <option key={m} value={m}>
                    {m.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Days each side <input type="number" name="days" min={1} max={180} value={form.days} onInput={(e) => setForm({ ...form, days: e.currentTarget.value })} />
            </label>
            <button>Compare</button>
          </form>
          <div class="kpis">
            <div class="kpi">
              <div class="kpi-label">
                {r.label}, {r.before.from} – {r.before.to}
              </div>
              <div class="kpi-value">{fmt(r.before.value, r.unit)}</div>
            </div>
            <div class="kpi">
              <div class="kpi-label">
                {r.label}, {r.after.from} – {r.after.to}
              </div>
              <div class="kpi-value">{fmt(r.after.value, r.unit)}</div>
              <div class={`kpi-trend ${r.change === null || r.change === 0 ? 'neutral' : (r.change > 0) === (r.better === 'up') ? 'good' : 'bad'}`}>{fmtChange(r.change, r.relative, r.unit)}</div>
            </div>
          </div>
          {r.partial && <p class="warn">The "after" window reaches past today: it has fewer days of data than "before".</p>}
        </>
      )}
    </Panel>
  );
}
