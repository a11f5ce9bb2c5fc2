// The tracker keeps the contract's limits and widget tags without importing the contract's code (its bytes would
// ride in every script tag): types tie them, and `npm run typecheck` checks the @ts-expect-error lines below, so
// a tie that stopped holding fails the typecheck.
import type { WidgetTag } from '@attune/edge/contract/markup';
import { LIMITS } from '@attune/edge/contract';
import { WIDGET_SELECTOR } from '@attune/edge/contract/markup';
import { describe, expect, it } from 'vitest';

describe("the tracker's ties to the contract", () => {
  it("the event limit's type is the contract's literal, so a different number does not compile", () => {
    const limit: (typeof LIMITS)['eventBytes'] = 32_768;
    // @ts-expect-error: any other number is a compile error, so the tracker's copy cannot drift from the edge's
    const drifted: (typeof LIMITS)['eventBytes'] = 32_000;
    expect(limit).toBe(LIMITS.eventBytes);
    expect(drifted).not.toBe(LIMITS.eventBytes);
  });

  it('the widget tags are the selector the tracker queries, one per element', () => {
    const tags: WidgetTag[] = ['attune-slot', 'attune-recs', 'attune-quiz', 'attune-survey', 'attune-consent'];
    // @ts-expect-error: a tag the contract does not list is no WidgetTag
    const unknown: WidgetTag = 'attune-carousel';
    expect(WIDGET_SELECTOR.split(',').sort()).toEqual([...tags].sort());
    expect(WIDGET_SELECTOR.split(',')).not.toContain(unknown);
  });
});
