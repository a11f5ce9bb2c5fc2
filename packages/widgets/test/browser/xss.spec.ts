// Script payloads wherever visitor or product data reaches a widget — edge markup, API answers, quiz
// labels, consent texts — in Chromium: nothing executes (the harness fails the test if window.__xss is
// set, a dialog opens or an error reaches the page), and the payload shows as text.
import { describe, expect, it } from 'vitest';
import { jsonForScript, recsMarkup, slotMarkup } from '@attune/edge/contract/markup';
import { sleep, useBrowser, widgetsReady } from './harness.js';

const h = useBrowser();

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=1">',
  "'><svg onload=window.__xss=1>",
  '</script><script>window.__xss=1</script>',
  '<iframe srcdoc="<script>parent.__xss=1</script>">',
];
const P = PAYLOADS.join(' ');
const js = 'javascript:window.__xss=1';

const evil = { id: 'p1', name: P, url: js, image: js, reason: P, price: 1, currency: 'EUR' };
const evilDecision = { variant: P, content: { title: P, text: P, image: js, alt: P, cta: { label: P, href: js } }, exposure: { experiment_id: P, variant_id: P } };
const evilQuiz = { id: 'q', title: P, questions: [{ id: 'a', text: P, type: 'single', answers: [{ id: P, label: P }] }] };

describe('script payloads do not execute', () => {
  it('in edge-rendered slot and recs markup, including a click on the product link', async () => {
    const body =
      `<attune-slot name="x">${slotMarkup(evilDecision, { name: P })}</attune-slot>` +
      `<attune-recs strategy="s">${recsMarkup([evil], P, { heading: P })}</attune-recs>` +
      `<attune-quiz id="q"><script type="application/json">${jsonForScript(evilQuiz)}</script></attune-quiz>`;
    const page = await h.open({ body });
    await widgetsReady(page);
    await page.waitForSelector('attune-quiz legend');
    await page.locator('attune-recs a').click();
    await expect(page.locator('attune-slot a').count(), 'a javascript: call to action is left out').resolves.toBe(0);
    await sleep(1300);
    await expect(page.locator('attune-slot h2').textContent()).resolves.toBe(P);
    await expect(page.locator('attune-recs .attune-recs__name').textContent()).resolves.toBe(P);
    await expect(page.locator('attune-quiz legend').textContent()).resolves.toBe(P);
    expect(await page.locator('main script:not([type="application/json"]), main img[src="x"], main svg, main iframe').count(), 'payload elements').toBe(0);
    // The exposure still reports the (hostile) ids as data, untouched.
    expect(await page.evaluate(() => (window as any).__calls.find((c: unknown[]) => c[1] === 'Experiment Viewed')?.[2].experiment_id)).toBe(P);
  });

  it('in what the edge’s APIs answer (recommendations, decide, quizzes) rendered in the browser', async () => {
    h.server.recommendations = { strategy: P, items: [{ product: evil, reason: P }] };
    h.server.decide = { configVersion: 't', profileId: null, holdout: null, preview: false, slots: { x: evilDecision }, unknownSlots: [] };
    h.server.quizzes.q = evilQuiz;
    const page = await h.open({ body: '<attune-recs strategy="s"></attune-recs><attune-slot name="x"></attune-slot><attune-quiz id="q"></attune-quiz>' });
    await page.waitForSelector('attune-recs li');
    await page.waitForSelector('attune-slot h2');
    await page.waitForSelector('attune-quiz legend');
    await page.locator('attune-quiz input').check();
    await page.locator('attune-quiz button[type=submit]').click();
    await sleep(500);
    await expect(page.locator('attune-quiz label').count()).resolves.toBe(0);
    expect(await page.locator('main img[src="x"], main svg, main iframe').count()).toBe(0);
    expect(await page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'))), 'javascript: URLs dropped').toEqual(['']);
  });

  it('in attributes and properties the host page passes through', async () => {
    const attr = P.replace(/"/g, '&quot;');
    const page = await h.open({
      body: `<attune-consent heading="${attr}" text="${attr}" policy-href="${js}"></attune-consent><attune-recs strategy="s" heading="${attr}"></attune-recs>`,
    });
    await page.waitForSelector('attune-consent h2');
    await page.evaluate(([p]) => ((document.querySelector('attune-recs') as any).items = [{ id: 'p', name: p, url: '/p' }]), [P]);
    await sleep(300);
    await expect(page.locator('attune-consent h2').textContent()).resolves.toBe(P);
    await expect(page.locator('attune-consent a').count(), 'a javascript: policy link is left out').resolves.toBe(0);
    await expect(page.locator('attune-recs h2').textContent()).resolves.toBe(P);
  });
});
