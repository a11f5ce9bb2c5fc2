// Chromium and `wrangler dev` for the Node tests that drive a real browser against the Worker.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root, startDev } from '../../scripts/dev-server.mjs';

/** Debian's Chromium, or CHROMIUM_PATH: no browser can be downloaded here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A regular desktop Chrome. Headless Chromium says "HeadlessChrome", which ingest classifies as a bot (its
 * events build no profile): every context looks like a real browser unless a test sets its own userAgent.
 */
export const DESKTOP_CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Without the background-networking flags Chromium floods a closed network with refused connections. */
export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-agent=${DESKTOP_CHROME_UA}`],
  });

/**
 * Starts `wrangler dev` and Chromium for the file's tests, and stops both after. A missing browser or build
 * fails the tests with what to do: skipping would let them pass without running.
 * @param built a file under dist/site the tests need (`npm run build` makes it)
 */
export function useStack(built: string) {
  const stack = {} as { dev: { url: string; stop: () => Promise<void> }; browser: Browser };
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
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
