// Renders docs/img/dashboard.png: seeds a local D1 with sample events, starts `wrangler dev` on it, signs in
// to /admin in Chromium and screenshots the top of the dashboard. Needs `npm run build` first.
//   node packages/dashboard/scripts/screenshot.mjs [events=200000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../../scripts/chromium.mjs';
import { root, startDev } from '../../edge/scripts/dev-server.mjs';
import { seedEvents } from '../../edge/scripts/seed-events.mjs';

const events = Number(process.argv[2] ?? 200_000);
const state = mkdtempSync(join(tmpdir(), 'attune-shot-'));
seedEvents(state, events);
const dev = await startDev({ persistTo: state });
const browser = await launchChromium();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1400 }, locale: 'en-US' })).newPage();
  await page.goto(`${dev.url}/admin/`);
  await page.fill('input[name=token]', 'dev-admin');
  await page.click('button:has-text("Sign in")');
  await page.click('button:has-text("90 days")');
  await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 3 && !document.querySelector('[aria-busy=true]'), null, { timeout: 30_000 });
  const out = join(root, 'docs/img/dashboard.png');
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KB)`);
} finally {
  await browser.close();
  await dev.stop();
  rmSync(state, { recursive: true, force: true });
}
