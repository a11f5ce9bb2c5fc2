// Funnel steps from the counts of visitors reaching each one. Pure.

export const DEFAULT_STEPS = ['Products Searched', 'Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
export const MAX_STEPS = 8;

export type FunnelStep = {
  step: string;
  visitors: number;
  /** share of the first step's visitors who got this far */
  conversion: number | null;
  /** share of the previous step's visitors who did not reach this one (null for the first step) */
  dropOff: number | null;
  dropped: number;
};

export function funnelOf(steps: string[], counts: number[]): FunnelStep[] {
  const first = counts[0] ?? 0;
  return steps.map((step, i) => {
    const visitors = counts[i] ?? 0;
    const before = i === 0 ? null : (counts[i - 1] ?? 0);
    return {
      step,
      visitors,
      conversion: first ? visitors / first : null,
      dropOff: before === null ? null : before ? (before - visitors) / before : null,
      dropped: before === null ? 0 : before - visitors,
    };
  });
}

/** `?steps=A,B,C` → names (trimmed, no blanks), at least two and at most MAX_STEPS; problems as messages. */
export function parseSteps(raw: string | undefined): { steps: string[] } | { problem: string } {
  if (raw === undefined) return { steps: DEFAULT_STEPS };
  const steps = raw.split(',').map((s) => s.trim());
  if (steps.some((s) => !s)) return { problem: `steps: an empty step in ${JSON.stringify(raw)}` };
  if (steps.length < 2 || steps.length > MAX_STEPS) return { problem: `steps: expected 2 to ${MAX_STEPS} event names separated by commas, got ${steps.length}` };
  const long = steps.find((s) => s.length > 200);
  if (long) return { problem: `steps: ${JSON.stringify(long.slice(0, 40))}… is longer than 200 characters` };
  return { steps };
}
