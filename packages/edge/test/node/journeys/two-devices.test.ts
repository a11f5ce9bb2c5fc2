// Journey 5: one person, two devices. On device A (a laptop, regular Chrome UA so experiments apply) the
// visitor browses anonymously, is assigned an arm of the hero experiment, and signs in with an email. On
// device B (a phone) the same person browses — bucketed, on its own, into the *other* arm — and signs in with
// the same email. The profiles merge: both anonymous ids resolve to one profile whose counters add up, and
// the assignment made first (device A's) is the one both devices see from then on.
import { describe, expect, it } from 'vitest';
import { useStack } from '../chromium.js';
import { armOf, consentBanner, holdoutSafeId, hydrated, newVisitor, profile, servedExposure, shooter, until, visit } from './helpers.js';

const stack = useStack('attune-widgets.js');
const shot = shooter('two-devices');
const EXPERIMENT = 'hero-quiz-copy';

type Api = { flush: () => Promise<unknown> };

describe('journey: two devices, one person', () => {
  it('merges the profiles on sign-in, counters add up, and the first experiment assignment stays', async () => {
    const url = stack.dev.url;
    const idA = holdoutSafeId('laptop');
    let idB = holdoutSafeId('phone');
    while (armOf(EXPERIMENT, idB) === armOf(EXPERIMENT, idA)) idB = holdoutSafeId('phone');
    const email = `journey-${Date.now().toString(36)}@example.com`;

    /** Two page loads with consent given on the first; returns the arm the second load was served. */
    async function browse(device: Awaited<ReturnType<typeof newVisitor>>, name: string) {
      await visit(device.page, `${url}/`);
      await hydrated(device.page);
      await consentBanner(device.page, 'Accept all');
      await until(async () => (await device.ctx.cookies(url)).some((c) => c.name === 'attune'), `the consent cookie on ${name}`);
      const again = await visit(device.page, `${url}/`);
      await hydrated(device.page);
      await shot(device.page, `${name}-anonymous`);
      const exposure = servedExposure(again.html);
      expect(exposure?.experiment_id).toBe(EXPERIMENT);
      // The exposure is recorded once the hero was seen: the arm is now the profile's.
      const p = await until(async () => {
        const x = await profile(url, device.id);
        return x?.experiments[EXPERIMENT] && x.counters['Page Viewed']?.count === 2 ? x : null;
      }, `${name}'s exposure and page views in the profile`);
      expect(p.experiments[EXPERIMENT]!.variant).toBe(exposure!.variant_id);
      return exposure!.variant_id;
    }
    // Signs in on /account with the email: the store identifies the customer (its id derived from the email).
    const signIn = async (device: Awaited<ReturnType<typeof newVisitor>>, name: string) => {
      await visit(device.page, `${url}/account`);
      await device.page.locator('#signin-form [name="email"]').fill(email);
      await device.page.locator('#signin-form [type="submit"], #signin-form button').first().click();
      await device.page.locator('[data-signed-in]').waitFor({ state: 'visible' });
      await shot(device.page, `${name}-signed-in`);
      await device.page.evaluate(() => (window as unknown as { attune: Api }).attune.flush());
    };

    const laptop = await newVisitor(stack.browser, { id: idA, chromeUA: true });
    const armA = await browse(laptop, 'laptop');
    expect(armA).toBe(armOf(EXPERIMENT, idA));
    await signIn(laptop, 'laptop');
    const userId = (await until(async () => (await profile(url, idA))?.ids.userId, 'the laptop signed in')) as string;

    const phone = await newVisitor(stack.browser, { id: idB, chromeUA: true, mobile: true });
    const armB = await browse(phone, 'phone');
    expect(armB).not.toBe(armA); // chosen so: the merge has something to decide
    await signIn(phone, 'phone');

    const merged = await until(async () => {
      const p = await profile(url, userId);
      return p?.ids.anonymousIds.includes(idA) && p.ids.anonymousIds.includes(idB) && (p.counters['Page Viewed']?.count ?? 0) >= 6 ? p : null;
    }, 'the merged profile');
    expect((await profile(url, idA))!.id).toBe(merged.id);
    expect((await profile(url, idB))!.id).toBe(merged.id);
    // Two page loads on each device before signing in, and the /account page on each.
    expect(merged.counters['Page Viewed']!.count).toBe(6);
    expect(merged.experiments[EXPERIMENT]!.variant).toBe(armA);

    // Both devices are now served the first assignment.
    for (const [device, name] of [[phone, 'phone'], [laptop, 'laptop']] as const) {
      const html = (await visit(device.page, `${url}/`)).html;
      expect(servedExposure(html), name).toEqual({ experiment_id: EXPERIMENT, variant_id: armA });
      await hydrated(device.page);
      await shot(device.page, `${name}-home-after-merge`);
    }
    await laptop.ctx.close();
    await phone.ctx.close();
  });
});
