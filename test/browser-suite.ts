// The lifecycle every browser spec file shares: Chromium (scripts/chromium.mjs) and the file's test server, started
// once before its tests and closed after them. A missing browser or build fails the file with what to do.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, requireChromium } from '../scripts/chromium.mjs';

/**
 * @param built the bundle the specs load (`npm run build` makes it)
 * @param start starts the file's test server
 * @param into the harness whose `browser` and `server` are filled in
 */
export function useChromiumAndServer<S extends { close(): Promise<unknown> }>(built: string, start: () => Promise<S>, into: { browser: Browser; server: S }) {
  beforeAll(async () => {
    requireChromium();
    if (!existsSync(built)) throw new Error(`no ${built}: run \`npm run build\` first`);
    into.server = await start();
    into.browser = await launchChromium();
  });
  afterAll(async () => {
    await into.browser?.close();
    await into.server?.close();
  });
}
