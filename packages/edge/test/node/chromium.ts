// Chromium and `wrangler dev` for the Node tests that drive a real browser against the Worker.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root, startDev } from '../../scripts/dev-server.mjs';

import { CHROMIUM_PATH, launchChromium as launch, requireChromium } from '../../../../scripts/chromium.mjs';

export { requireChromium };
/** Debian's Chromium, or CHROMIUM_PATH: no browser can be downloaded here. */
export const CHROMIUM = CHROMIUM_PATH;

/**
 * A regular desktop Chrome. Headless Chromium says "HeadlessChrome", which ingest classifies as a bot (its
 * events build no profile): every context looks like a real browser unless a test sets its own userAgent.
 */
export const DESKTOP_CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Chromium as scripts/chromium.mjs launches it, passing for a desktop Chrome. */
export const launchChromium = () => launch([`--user-agent=${DESKTOP_CHROME_UA}`]);

/**
 * Starts `wrangler dev` and Chromium for the file's tests, and stops both after. A missing browser or build
 * fails the tests with what to do: skipping would let them pass without running.
 * @param built a file under dist/site the tests need (`npm run build` makes it)
 */
export function useStack(built: string) {
  const stack = {} as { dev: { url: string; stop: () => Promise<void> }; browser: Browser };
  beforeAll(async () => {
    requireChromium();
    if (!existsSync(`${root}dist/site/${built}`)) throw new Error(`dist/site/${built} is missing: run npm run build`);
    stack.dev = await startDev();
    stack.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await stack.browser?.close();
    await stack.dev?.stop();
  });
  return stack;
}
