// The clock the unit and Worker suites run on. By default the wall clock; `ATTUNE_TEST_CLOCK=2027-02-01T09:00:00Z
// npm test` starts it at that instant instead (it then runs on, as time does), which is how we show that no test
// depends on the day it runs. Only `Date` is replaced: timers, and so waits and time-outs, stay real. In the Worker
// suite the Worker, its Durable Objects and the tests share one isolate, so they all see this clock.
import { vi } from 'vitest';

declare const __ATTUNE_TEST_CLOCK__: string;
const start = typeof __ATTUNE_TEST_CLOCK__ === 'string' ? __ATTUNE_TEST_CLOCK__ : '';
if (start && Number.isNaN(Date.parse(start))) throw new Error(`ATTUNE_TEST_CLOCK="${start}" is not a date: give an ISO time such as 2027-02-01T09:00:00Z`);

/** The suite's clock: the wall clock, or ATTUNE_TEST_CLOCK when set. */
export function suiteClock(): void {
  vi.useRealTimers();
  if (start) vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(start), shouldAdvanceTime: true });
}

/** Runs `fn` with the clock set to `at` (running on from there), then gives the suite's clock back. */
export async function atTime<T>(at: string, fn: () => Promise<T> | T): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(at), shouldAdvanceTime: true });
  try {
    return await fn();
  } finally {
    suiteClock();
  }
}

/**
 * Runs `fn` again (up to three runs) when it failed while the runtime's real minute changed. The local
 * rate-limiting binding counts in windows of real minutes, which the suite's clock does not move: a count that
 * crosses one starts again. `fn` must use fresh keys (clients, ids) on each run.
 */
export async function inOneRealMinute<T>(fn: () => Promise<T>): Promise<T> {
  const minute = () => Math.floor(vi.getRealSystemTime() / 60_000);
  for (let run = 1; ; run++) {
    const start = minute();
    try {
      return await fn();
    } catch (e) {
      if (run >= 3 || minute() === start) throw e;
    }
  }
}
