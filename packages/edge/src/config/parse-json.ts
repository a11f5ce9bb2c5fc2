// JSON.parse with the line and column of a syntax error, as a config problem: `attune validate` and
// POST /v1/config/validate report a broken file the same way.
import type { ConfigProblem } from './problems.js';

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: ConfigProblem } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    const pos = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    let where = '';
    if (!Number.isNaN(pos)) {
      const before = text.slice(0, pos).split('\n');
      where = `line ${before.length}, column ${before.at(-1)!.length + 1}`;
    }
    return { ok: false, problem: { path: where || '(the whole file)', message: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, severity: 'error' } };
  }
}
