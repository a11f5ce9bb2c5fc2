// Report groupings are names from the event log (segments, funnel steps, strategies, data-quality fields, bots):
// one called `__proto__` or `constructor` is a row like any other, its name shown as text (docs/security.md).
import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { FunnelSteps } from './funnel.js';
import { SegmentTable } from './segments.js';
import { BotFamilies, FlagTable, StrategyTable } from './tables.js';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A component tree as markup, function components called with their props (these tables use no hooks). */
function html(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (Array.isArray(node)) return node.map(html).join('');
  const v = node as VNode<{ children?: unknown }>;
  if (typeof v.type === 'function') return html((v.type as (p: unknown) => unknown)(v.props));
  const key = v.key === undefined || v.key === null ? '' : ` key="${String(v.key)}"`;
  return `<${String(v.type)}${key}>${html(v.props.children)}</${String(v.type)}>`;
}
/** What a reader sees: the text of each row. */
const rows = (markup: string) => [...markup.matchAll(/<(?:tr|li) key="[^"]*">(.*?)<\/(?:tr|li)>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
/** The JSON a report answers, parsed as the dashboard parses it (names as own keys of plain objects). */
const fromApi = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('report groupings named like Object.prototype members', () => {
  it('render one row each, the name as text, keyed by the name', () => {
    const segments = fromApi(HOSTILE.map((segment, i) => ({ segment, size: i, sizeAtStart: 0, change: i, entered: i, exited: 0, configured: false, series: [] })));
    const steps = fromApi(HOSTILE.map((step, i) => ({ step, visitors: 10 - i, conversion: (10 - i) / 10, dropOff: i ? 0.1 : null, dropped: i ? 1 : 0 })));
    const strategies = fromApi(HOSTILE.map((strategy) => ({ strategy, views: 4, viewers: 2, clicks: 1, clickers: 1, ctr: 0.25, orders: 0, revenue: 0 })));
    const flags = fromApi(HOSTILE.map((n) => ({ issue: n, path: `traits.${n}`, events: 1, visitors: 1 })));
    const families = fromApi(HOSTILE.map((family) => ({ family, count: 3 })));
    const tables = [
      html(<SegmentTable segments={segments} />),
      html(<FunnelSteps steps={steps} />),
      html(<StrategyTable strategies={strategies} />),
      html(<FlagTable flags={flags} />),
      html(<BotFamilies families={families} />),
    ];
    for (const t of tables) {
      const r = rows(t);
      expect(r).toHaveLength(HOSTILE.length);
      HOSTILE.forEach((n, i) => expect(r[i]!.startsWith(n), `${r[i]} starts with ${n}`).toBe(true));
    }
    expect(rows(tables[0]!)[1]).toBe('constructor (no longer in the config) 1 ▲ +1 1 0');
    expect(tables[2]).toContain('<tr key="__proto__"><td>__proto__</td>');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
