// Experiment results (GET /v1/reports/experiments): a sample-ratio mismatch comes first and loud, because
// when the split is broken none of the other numbers can be trusted.
import { fmt, fmtPct } from '../format.js';
import type { ExperimentsReport } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import type { Query } from '../api.js';
import { Panel } from './status.js';

const signed = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v >= 0 ? '+' : ''}${fmtPct(v)}`);
const interval = (ci: [number, number] | null) => (ci ? `${signed(ci[0])} … ${signed(ci[1])}` : '–');
const p = (v: number | null) => (v === null ? '–' : v < 0.001 ? '< 0.001' : v.toFixed(3));

export function Experiments({ period }: { period: Query }) {
  const state = useReport<ExperimentsReport>('experiments', period);
  return (
    <Panel title="Experiments" id="experiments" state={state}>
      {(data) => (
        <>
          {data.experiments.length === 0 && <p class="muted">No experiments in the config.</p>}
          {data.experiments.map((x) => (
            <article key={x.id} class="experiment">
              <h3>
                {x.id} <span class="muted">· slot {x.slot} · goal “{x.goal}” · {x.status}</span>
              </h3>
              {x.srm.warning && (
                <p class="srm" role="alert">
                  <strong>Sample-ratio mismatch</strong> (χ² p = {p(x.srm.pValue)}): {x.srm.message ?? 'the exposures do not split as the weights say.'} Do not trust these results until the cause is fixed.
                </p>
              )}
              <table>
                <thead>
                  <tr>
                    <th>Arm</th>
                    <th class="num">Exposed</th>
                    <th class="num">Converted</th>
                    <th class="num">Rate</th>
                    <th class="num">Uplift</th>
                    <th class="num">95% interval</th>
                    <th class="num">p-value</th>
                    <th class="num">Chance to beat control</th>
                  </tr>
                </thead>
                <tbody>
                  {x.arms.map((a) => (
                    <tr key={a.id} class={a.vsControl?.significant ? 'significant' : ''}>
                      <td>
                        {a.id}
                        {a.control && <span class="muted"> (control)</span>}
                      </td>
                      <td class="num">{fmt(a.exposures)}</td>
                      <td class="num">{fmt(a.conversions)}</td>
                      <td class="num">{fmtPct(a.rate)}</td>
                      <td class="num">{a.vsControl ? signed(a.vsControl.uplift) : ''}</td>
                      <td class="num">{a.vsControl ? interval(a.vsControl.ci95) : ''}</td>
                      <td class="num">{a.vsControl ? p(a.vsControl.pValue) : ''}</td>
                      <td class="num">{a.vsControl ? fmtPct(a.vsControl.chanceToBeatControl) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {x.crossovers > 0 && <p class="warn">{fmt(x.crossovers)} visitors were seen in more than one arm.</p>}
            </article>
          ))}
          {data.holdout && (
            <p>
              <strong>Holdout</strong> ({data.holdout.percent}% see defaults everywhere): personalization lift on “{data.holdout.goal}” {signed(data.holdout.lift)} (95% {interval(data.holdout.ci95)}, p = {p(data.holdout.pValue)}, chance to beat the holdout{' '}
              {fmtPct(data.holdout.chanceToBeatHoldout)}).
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
