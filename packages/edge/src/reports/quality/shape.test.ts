import { describe, expect, it } from 'vitest';
import { botSummary } from './shape.js';

describe('bot summary', () => {
  it('totals bot events per day and per family, most first', () => {
    const s = botSummary([
      { day: '2026-11-29', family: 'Googlebot', count: 4 },
      { day: '2026-11-29', family: 'HeadlessChrome', count: 1 },
      { day: '2026-11-30', family: 'HeadlessChrome', count: 6 },
    ]);
    expect(s).toEqual({
      events: 11,
      days: [
        { day: '2026-11-29', count: 5 },
        { day: '2026-11-30', count: 6 },
      ],
      families: [
        { family: 'HeadlessChrome', count: 7 },
        { family: 'Googlebot', count: 4 },
      ],
    });
  });

  it('is empty for a period without bots', () => {
    expect(botSummary([])).toEqual({ events: 0, days: [], families: [] });
  });
});
