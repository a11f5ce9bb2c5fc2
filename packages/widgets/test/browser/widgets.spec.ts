// The interactive widgets as a visitor uses them — with the keyboard only — and as a developer embeds
// them in plain HTML: the quiz (questions from the edge's JSON child or GET /v1/quizzes/:id), the NPS
// survey and the consent banner. Every answer and choice goes through window.attune; axe finds nothing.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { jsonForScript, recsMarkup, slotMarkup } from '@attune/edge/contract/markup';
import { axe, calls, useBrowser, widgetsReady } from './harness.js';
import { CONFIG } from './server.js';

const h = useBrowser();
const skin = CONFIG.quizzes.find((q: { id: string }) => q.id === 'skin');

/** What has focus, as a visitor would describe it: the control's role and its label. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return `${a?.tagName.toLowerCase()}${a instanceof HTMLInputElement ? `[${a.type}]` : ''}: ${(a?.closest('label')?.textContent ?? a?.textContent ?? '').trim()}`;
  });

/** The events a host page hears, recorded on document. */
const LISTEN = `window.__events = [];
  for (const t of ['attune-answer', 'attune-complete', 'attune-consent'])
    document.addEventListener(t, (e) => window.__events.push([t, e.detail]));`;
const events = (page: Page) => page.evaluate(() => (window as any).__events as [string, any][]);

describe('<attune-quiz>', () => {
  it('from the edge’s JSON child: shows progress, and is completed with the keyboard alone', async () => {
    const page = await h.open({ body: `<attune-quiz id="skin"><script type="application/json">${jsonForScript(skin)}</script></attune-quiz>`, before: LISTEN });
    await page.waitForSelector('attune-quiz legend');
    expect(h.server.log.some((l) => l.includes('/v1/quizzes')), 'no request: the questions were in the page').toBe(false);
    await expect(page.locator('attune-quiz legend').textContent()).resolves.toBe('How does your skin feel by midday?');
    await expect(page.getByText('Question 1 of 3').count()).resolves.toBe(1);
    expect(await page.locator('progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([1, 3]);
    expect(await axe(page), 'axe violations').toEqual([]);

    // Enter with nothing chosen: an error is announced, nothing is sent.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[radio]: Tight or flaky');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Please choose an answer.');
    expect(await calls(page)).toEqual([]);

    // Question 1: arrows move through the choices, Space picks, Enter goes on; focus follows to question 2.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Question 2 of 3').count()).resolves.toBe(1);
    expect(await focused(page)).toBe(`input[checkbox]: ${skin.questions[1].answers[0].label}`);
    // Question 2 (several answers): Space ticks, Tab to the next box, Space ticks.
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    // Question 3: ArrowUp from the first choice wraps to the last.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-done]');
    expect(await focused(page)).toMatch(/^p: Thank you/);

    expect(await calls(page)).toEqual([
      ['answer', 'skin-type', 'oily', { quiz: 'skin' }],
      ['answer', 'concerns', ['acne', 'redness'], { quiz: 'skin' }],
      ['answer', 'budget', 'high', { quiz: 'skin' }],
    ]);
    const ev = await events(page);
    expect(ev.map((e) => e[0])).toEqual(['attune-answer', 'attune-answer', 'attune-answer', 'attune-complete']);
    expect(ev[3]![1]).toEqual({ quiz: 'skin', answers: { 'skin-type': 'oily', concerns: ['acne', 'redness'], budget: 'high' } });
    expect(await axe(page), 'axe violations when done').toEqual([]);
  });

  it('fetches GET /v1/quizzes/:id when the page has no JSON child, keeping the fallback until then; Back keeps answers', async () => {
    const page = await h.open({ body: '<attune-quiz id="skin"><p>Loading the quiz…</p></attune-quiz>' });
    await page.waitForSelector('attune-quiz legend');
    expect(h.server.log).toContain('GET /v1/quizzes/skin');
    await expect(page.getByText('Loading the quiz…').count()).resolves.toBe(0);
    await page.getByLabel('Shiny all over').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    expect(await page.getByLabel('Shiny all over').isChecked()).toBe(true);
  });

  it('takes its questions as a property (React, Vue) and keeps a missing quiz silent', async () => {
    const page = await h.open({ body: '<attune-quiz id="none"><p>Fallback</p></attune-quiz><attune-quiz id="p"></attune-quiz>' });
    await widgetsReady(page);
    await page.evaluate((q) => ((document.querySelector('#p') as any).quiz = q), { id: 'p', title: 'Pick', questions: [{ id: 'c', text: 'Colour?', answers: [{ id: 'r', label: 'Red' }] }] });
    await page.waitForSelector('#p legend');
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/v1/quizzes/none')));
    await expect(page.locator('#none').textContent()).resolves.toBe('Fallback');
  });
});

describe('<attune-quiz> with questions named like Object.prototype members', () => {
  it('asks "constructor" and "__proto__" like any question: nothing counts as answered until the visitor chooses', async () => {
    const page = await h.open({ body: '<attune-quiz id="p"></attune-quiz>' });
    await widgetsReady(page);
    const choice = (label: string) => [{ id: 'r', label }];
    await page.evaluate((q) => ((document.querySelector('#p') as any).quiz = q), {
      id: 'p',
      title: 'Pick',
      questions: [{ id: 'constructor', text: 'Colour?', answers: choice('Red') }, { id: '__proto__', text: 'Shape?', answers: choice('Round') }],
    });
    await page.waitForSelector('#p legend');
    for (const [legend, label] of [['Colour?', 'Red'], ['Shape?', 'Round']]) {
      await expect(page.locator('#p legend').textContent()).resolves.toBe(legend);
      await page.click('#p button[type=submit]');
      await expect(page.getByRole('alert').textContent()).resolves.toBe('Please choose an answer.');
      await page.getByLabel(label!).check();
      await page.click('#p button[type=submit]');
    }
    await page.waitForSelector('#p [data-done]');
    expect(await calls(page)).toEqual([
      ['answer', 'constructor', 'r', { quiz: 'p' }],
      ['answer', '__proto__', 'r', { quiz: 'p' }],
    ]);
  });
});

describe('<attune-survey>', () => {
  it('NPS by keyboard, then optional feedback; answers go through attune.answer', async () => {
    const page = await h.open({ body: '<attune-survey id="nps"></attune-survey>', before: LISTEN });
    await page.waitForSelector('attune-survey legend');
    expect(await axe(page), 'axe violations').toEqual([]);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[radio]: 0');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('attune-survey textarea');
    expect(await focused(page)).toMatch(/^textarea/);
    await page.keyboard.type('  Fast delivery  ');
    await page.keyboard.press('Tab'); // Back
    await page.keyboard.press('Tab'); // Send
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-done]');
    expect(await calls(page)).toEqual([
      ['answer', 'nps', 9, { quiz: 'nps' }],
      ['answer', 'nps-why', 'Fast delivery', { quiz: 'nps' }],
    ]);
  });
});

describe('<attune-consent>', () => {
  it('asks while nothing is decided; per-purpose choice by keyboard drives attune.consent', async () => {
    const page = await h.open({ body: '<p>Shop content</p><attune-consent policy-href="/privacy"></attune-consent>', before: LISTEN });
    await page.waitForSelector('attune-consent button');
    expect(await page.evaluate(() => document.activeElement === document.body), 'the banner does not steal focus').toBe(true);
    expect(await axe(page), 'axe violations').toEqual([]);
    await page.locator('attune-consent input').first().focus();
    await page.keyboard.press('Space'); // analytics on
    await page.keyboard.press('Tab'); // personalization stays off
    await page.keyboard.press('Tab'); // Reject all
    await page.keyboard.press('Tab'); // Save choices
    expect(await focused(page)).toBe('button: Save choices');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('attune-consent section'));
    expect(await calls(page)).toEqual([['consent.set', { analytics: true, personalization: false }]]);
    expect(await events(page)).toEqual([['attune-consent', { analytics: true, personalization: false }]]);
  });

  it('stays hidden once decided; open() shows it again with the current choice and focus in it', async () => {
    const page = await h.open({ body: '<attune-consent></attune-consent>', before: `attune.consent.set({ analytics: true, personalization: true })` });
    await widgetsReady(page);
    await expect(page.locator('attune-consent section').count()).resolves.toBe(0);
    await page.evaluate(() => (document.querySelector('attune-consent') as any).open());
    await page.waitForSelector('attune-consent section');
    expect(await focused(page)).toMatch(/^input\[checkbox\]: Analytics/);
    expect(await page.locator('attune-consent input:checked').count()).toBe(2);
    await page.getByRole('button', { name: 'Reject all' }).click();
    expect((await calls(page)).at(-1)).toEqual(['consent.set', { analytics: false, personalization: false }]);
  });

  it('with the real tracker: the visitor’s choice becomes the tracker’s consent state', async () => {
    const page = await h.open({ realTracker: true, body: '<attune-consent></attune-consent>' });
    await page.waitForSelector('attune-consent button');
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as any).attune.consent.get().decided);
    expect(await page.evaluate(() => (window as any).attune.consent.get())).toMatchObject({ analytics: true, personalization: true, decided: true });
    expect(h.server.log, 'the tracker loaded the widgets because the element is on the page').toContain('GET /attune-widgets.js');
  });
});

describe('a whole page of widgets', () => {
  it('axe reports no violations for slot, recs, quiz, survey and consent together', async () => {
    const body =
      `<attune-slot name="hero">${slotMarkup({ variant: 'v', content: { title: 'Hello', text: 'Picked for you', image: '/img/h.svg', cta: { label: 'Shop', href: '/shop' } } }, { name: 'hero' })}</attune-slot>` +
      `<attune-recs strategy="for-you">${recsMarkup([{ id: 'p1', name: 'Cream', url: '/p/p1', image: '/img/p1.svg', price: 12, currency: 'EUR', reason: 'Popular' }], 'for-you', { heading: 'For you' })}</attune-recs>` +
      '<attune-quiz id="skin"></attune-quiz><attune-survey id="nps"></attune-survey><attune-consent></attune-consent>';
    const page = await h.open({ body });
    await page.waitForSelector('attune-survey legend');
    await page.waitForSelector('attune-quiz legend');
    expect(await axe(page)).toEqual([]);
  });
});
