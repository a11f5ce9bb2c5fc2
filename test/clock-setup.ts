// Setup file of the unit and Worker projects: every test file runs on the suite's clock (see clock.ts), from
// before its imports on, so values computed at import time see it too.
import { afterAll, vi } from 'vitest';
import { suiteClock } from './clock.js';

suiteClock();
afterAll(() => void vi.useRealTimers());
