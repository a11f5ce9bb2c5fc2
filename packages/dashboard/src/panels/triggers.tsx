// Webhook deliveries of the triggers (GET /v1/reports/triggers): the latest first, one row per delivery with its
// attempts so far, the receiver's last answer or error, and when the next retry is due.
import { useState } from 'preact/hooks';
import { fmt } from '../format.js';
import type { TriggerLogReport as TriggerLogData } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import { Panel } from './status.js';

const OUTCOMES = ['delivered', 'retrying', 'failed', 'cancelled'];
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '–');

export function TriggerLog() {
  const [outcome, setOutcome] = useState('');
  const state = useReport<TriggerLogData>('triggers', { outcome, limit: 50 });
  return (
    <Panel title="Trigger deliveries" id="triggers" state={state}>
      {(data) => (
        <>
          <label class="inline">
            Show{' '}
            <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
              <option value="">all</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          {data.deliveries.length === 0 ? (
            <p class="muted">No deliveries yet{data.triggers.length ? ` (triggers: ${data.triggers.join(', ')})` : ': no triggers in the config'}.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Trigger</th>
                  <th>Profile</th>
                  <th>Status</th>
                  <th class="num">Attempts</th>
                  <th>Last answer</th>
                  <th>Last attempt</th>
                  <th>Next retry</th>
                </tr>
              </thead>
              <tbody>
                {data.deliveries.map((d) => (
                  <tr key={d.key} data-delivery={d.key}>
                    <td>
                      {d.trigger} <span class="muted">({d.kind})</span>
                    </td>
                    <td>
                      <code>{d.profileId}</code>
                    </td>
                    <td class={`outcome ${d.outcome === 'failed' ? 'bad' : d.outcome === 'delivered' ? 'good' : ''}`}>{d.outcome}</td>
                    <td class="num">{fmt(d.attempts)}</td>
                    <td>{d.error ?? (d.status === null ? '–' : `HTTP ${d.status}`)}</td>
                    <td>{time(d.lastAt)}</td>
                    <td>{time(d.nextRetryAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Panel>
  );
}
