// Debian's Chromium through playwright-core: how every test, bench and script here launches it. No browser can be
// downloaded on these machines (CHROMIUM_PATH points elsewhere), and without the background-networking flags
// Chromium floods a closed network with refused connections.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails with what to do when the browser is missing: skipping would let the browser tests pass without running. */
export function requireChromium() {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`);
}

/** @param {string[]} [extraArgs] e.g. a `--user-agent=` */
export const launchChromium = (extraArgs = []) => chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });

/**
 * What the specs' init scripts stored in `window.__errors` (window.onerror, unhandled rejections) in the pages still
 * open: errors that reached the page, which every browser spec fails on.
 * @param {import('playwright-core').Page[]} pages
 */
export async function errorsIn(pages) {
  const open = pages.filter((p) => !p.isClosed());
  const lists = await Promise.all(open.map((p) => p.evaluate(() => /** @type {any} */ (window).__errors ?? []).catch(() => [])));
  return lists.flat();
}
