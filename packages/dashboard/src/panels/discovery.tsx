// Suggested segments (GET /v1/reports/segments/discover): clusters of profiles by behaviour, each with its size,
// how tight and how set apart it is, whether it is too small to act on, and a rule to paste into the config.
import { useState } from 'preact/hooks';
import { fmt, fmtPct } from '../format.js';
import type { DiscoveryReport } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import { Panel } from './status.js';

function CopyRule({ rule }: { rule: unknown }) {
  const text = JSON.stringify(rule, null, 2);
  const [copied, setCopied] = useState(false);
  return (
    <div class="rule">
      <pre>
        <code>{text}</code>
      </pre>
      <button
        type="button"
        onClick={async () => {
          await navigator.clipboard.writeText(text);
          setCopied(true);
        }}
      >
        {copied ? 'Copied' : 'Copy rule'}
      </button>
    </div>
  );
}

export function Discovery() {
  const state = useReport<DiscoveryReport>('segments/discover', {});
  return (
    <Panel title="Suggested segments" id="discovery" state={state}>
      {(data) => (
        <>
          <p class="muted">
            {fmt(data.profiles)} profiles clustered by {data.features.join(', ')}
            {data.k !== null && <> · k = {data.k}, chosen by silhouette</>}
            {data.sampled.fit < data.profiles && <> · fitted on a sample of {fmt(data.sampled.fit)}, silhouettes on {fmt(data.sampled.silhouette)}</>}. Paste a rule into <code>segments[].rule</code> of the config.
          </p>
          {data.note && <p class="muted">{data.note}</p>}
          {data.segments.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>Suggested segment</th>
                  <th class="num">Profiles</th>
                  <th class="num">Share</th>
                  <th class="num" title="mean silhouette of the members, −1…1: higher is tighter">Homogeneity</th>
                  <th class="num" title="distance to the nearest other cluster's centre, in standard deviations">Distinctness</th>
                  <th>Rule</th>
                </tr>
              </thead>
              <tbody>
                {data.segments.map((s) => (
                  <tr key={s.id} data-segment={s.id} class={s.tooSmall ? 'too-small' : ''}>
                    <td>
                      <strong>{s.name}</strong>
                      <div class="muted">{s.id}</div>
                      {s.tooSmall && <span class="warn">too small to act on</span>}
                    </td>
                    <td class="num">{fmt(s.size)}</td>
                    <td class="num">{fmtPct(s.share)}</td>
                    <td class="num">{s.homogeneity.silhouette.toFixed(2)}</td>
                    <td class="num">
                      {s.distinctness.distance.toFixed(2)} <span class="muted">from {s.distinctness.nearest}</span>
                    </td>
                    <td>
                      <CopyRule rule={s.rule} />
                      <div class="muted">
                        matches {fmt(s.ruleFit.matches)} · precision {fmtPct(s.ruleFit.precision)} · recall {fmtPct(s.ruleFit.recall)}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="muted">RFM groups: {data.rfmGroups.map((g) => `${g.name} ${fmt(g.size)}`).join(' · ')}</p>
        </>
      )}
    </Panel>
  );
}
