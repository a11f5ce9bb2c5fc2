// Funnel bars, each as wide as its share of the first step, with the drop-off from the step before.
import { useState } from 'preact/hooks';
import { fmt, fmtPct } from '../format.js';
import type { FunnelReport as FunnelData } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import type { Query } from '../api.js';
import { Panel } from './status.js';

export const DEFAULT_STEPS = 'Products Searched, Product Viewed, Product Added, Checkout Started, Order Completed';

export function Funnel({ period }: { period: Query }) {
  const [steps, setSteps] = useState(DEFAULT_STEPS);
  const [draft, setDraft] = useState(DEFAULT_STEPS);
  const state = useReport<FunnelData>('funnel', { ...period, steps: steps.split(',').map((s) => s.trim()).join(',') });
  return (
    <Panel title="Funnel" id="funnel" state={state}>
      {(data) => (
        <>
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              setSteps(draft);
            }}
          >
            <label>
              Steps (event names, in order) <input name="steps" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} size={70} />
            </label>
            <button>Show</button>
          </form>
          <FunnelSteps steps={data.steps} />
        </>
      )}
    </Panel>
  );
}

/** The steps as bars; a step is an event name from the log, shown as text whatever it is called. */
export function FunnelSteps({ steps }: { steps: FunnelData['steps'] }) {
  return (
    <ol class="funnel">
      {steps.map((s, i) => (
        <li key={s.step}>
          <div class="funnel-label">
            <strong>{s.step}</strong> {fmt(s.visitors)} visitors · {fmtPct(s.conversion)} of the first step
            {i > 0 && <span class="drop"> · {fmtPct(s.dropOff)} dropped ({fmt(s.dropped)})</span>}
          </div>
          <div class="bar" style={{ width: `${Math.max(0.5, (s.conversion ?? 0) * 100)}%` }} />
        </li>
      ))}
    </ol>
  );
}
