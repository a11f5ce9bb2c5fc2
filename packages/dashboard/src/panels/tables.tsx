// Data quality and recommendation performance: two plain tables.
import { fmt, fmtPct } from '../format.js';
import type { QualityReport as QualityData, RecommendationsReport as Recs } from '@attune/edge/contract';
import { useReport } from '../use-report.js';
import type { Query } from '../api.js';
import { Panel } from './status.js';

export function Quality({ period }: { period: Query }) {
  const state = useReport<QualityData>('quality', period);
  return (
    <Panel title="Data quality" id="quality" state={state}>
      {(data) => (
        <>
          {data.flags.length === 0 ? (
            <p class="muted">
              No flags: {fmt(data.checked.identifies)} identifies with contact details and {fmt(data.checked.orders)} orders checked.
            </p>
          ) : (
            <FlagTable flags={data.flags} />
          )}
          <h3>Bots kept out</h3>
          <p class="muted" data-bots-total={data.bots.events}>
            {fmt(data.bots.events)} events from bots and headless browsers were accepted but kept out of profiles and reports.
          </p>
          {data.bots.families.length > 0 && <BotFamilies families={data.bots.families} />}
          {data.bots.days.length > 0 && (
            <table class="bots">
              <thead>
                <tr>
                  <th>Day</th>
                  <th class="num">Bot events</th>
                </tr>
              </thead>
              <tbody>
                {data.bots.days.map((d) => (
                  <tr key={d.day}>
                    <td>{d.day}</td>
                    <td class="num">{fmt(d.count)}</td>
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

export function Recommendations({ period }: { period: Query }) {
  const state = useReport<Recs>('recommendations', period);
  return (
    <Panel title="Recommendations" id="recommendations" state={state}>
      {(data) => (
        <>
          <StrategyTable strategies={data.strategies} />
          <p class="muted">An order is attributed when it contains a product the visitor clicked in a list within {data.windowDays} days before; the latest such click gets it.</p>
        </>
      )}
    </Panel>
  );
}

// The tables by grouping: names from the log (issues, fields, bots, strategies) are shown as text, whatever they are called.
export function FlagTable({ flags }: { flags: QualityData['flags'] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Issue</th>
          <th>Field</th>
          <th class="num">Events</th>
          <th class="num">Visitors</th>
        </tr>
      </thead>
      <tbody>
        {flags.map((f) => (
          <tr key={f.issue + f.path}>
            <td>{f.issue}</td>
            <td>
              <code>{f.path}</code>
            </td>
            <td class="num">{fmt(f.events)}</td>
            <td class="num">{fmt(f.visitors)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BotFamilies({ families }: { families: QualityData['bots']['families'] }) {
  return (
    <table class="bot-families">
      <thead>
        <tr>
          <th>Bot</th>
          <th class="num">Events</th>
        </tr>
      </thead>
      <tbody>
        {families.map((f) => (
          <tr key={f.family}>
            <td>{f.family}</td>
            <td class="num">{fmt(f.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StrategyTable({ strategies }: { strategies: Recs['strategies'] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Strategy</th>
          <th class="num">Views</th>
          <th class="num">Clicks</th>
          <th class="num">CTR</th>
          <th class="num">Attributed orders</th>
          <th class="num">Attributed revenue</th>
        </tr>
      </thead>
      <tbody>
        {strategies.map((s) => (
          <tr key={s.strategy}>
            <td>{s.strategy}</td>
            <td class="num">{fmt(s.views)}</td>
            <td class="num">{fmt(s.clicks)}</td>
            <td class="num">{fmtPct(s.ctr)}</td>
            <td class="num">{fmt(s.orders)}</td>
            <td class="num">{fmt(s.revenue, 'money')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
