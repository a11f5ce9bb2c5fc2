// Chromium for the Node tests that drive a real browser against `wrangler dev`.
import { chromium } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH: no browser can be downloaded here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium floods a closed network with refused connections. */
export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
