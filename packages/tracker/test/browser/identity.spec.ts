// The event envelope (Segment spec) and the identity calls: identify, alias, reset.
import { describe, expect, it } from 'vitest';
import { flush, useBrowser, waitFor } from './harness.js';

const h = useBrowser();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('identity and the envelope', () => {
  it('identify, alias and reset change the ids later events carry; every event carries the Segment envelope', async () => {
    const page = await h.open('/?utm_source=news&utm_campaign=winter', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.track('Anonymous', { n: 1 });
      a.identify('user-1', { email: 'a@b.co' });
      a.track('Known', { n: 2 });
      a.alias('user-2');
      a.track('Aliased', { n: 3 });
      a.reset();
      a.track('After Reset', { n: 4 });
    });
    await flush(page);
    await waitFor('all events', () => h.server.tracks('After Reset').length === 1);
    const byName = (name: string) => h.server.allEvents().find((e) => (e.event ?? e.type) === name)!;

    const first = byName('Anonymous');
    const anonymousId = first.anonymousId;
    expect(anonymousId).toMatch(UUID);
    expect(first.userId).toBeUndefined();
    expect(byName('identify')).toMatchObject({ type: 'identify', userId: 'user-1', anonymousId, traits: { email: 'a@b.co' } });
    expect(byName('Known')).toMatchObject({ userId: 'user-1', anonymousId });
    expect(byName('alias')).toMatchObject({ type: 'alias', previousId: 'user-1', userId: 'user-2', anonymousId });
    expect(byName('Aliased')).toMatchObject({ userId: 'user-2', anonymousId });
    const after = byName('After Reset');
    expect(after.userId).toBeUndefined();
    expect(after.anonymousId).toMatch(UUID);
    expect(after.anonymousId).not.toBe(anonymousId);

    for (const e of h.server.allEvents()) {
      expect(e.messageId).toMatch(UUID);
      expect(Date.parse(e.timestamp as string)).not.toBeNaN();
      expect(e.context).toMatchObject({
        library: { name: 'attune', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
        locale: expect.any(String),
        page: { path: '/', url: expect.stringContaining('utm_source=news'), search: '?utm_source=news&utm_campaign=winter', title: expect.any(String) },
        campaign: { source: 'news', name: 'winter' },
        consent: { analytics: true, personalization: true },
      });
    }
    for (const b of h.server.batches) expect(Date.parse(b.body?.sentAt as string)).not.toBeNaN();
  });

  it("identify passes the backend's proof (userHash) with that one event, and the consent sync names no user id", async () => {
    const page = await h.open('/');
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.identify('user-1', { plan: 'pro' }, { userHash: 'a1'.repeat(32) });
      a.track('Later');
      a.identify('user-1', { plan: 'team' });
      a.consent.set({ analytics: true, personalization: true });
    });
    await flush(page);
    await waitFor('the events', () => h.server.tracks('Later').length === 1 && h.server.allEvents().filter((e) => e.type === 'identify').length === 2);
    const [proven, plain] = h.server.allEvents().filter((e) => e.type === 'identify');
    expect(proven).toMatchObject({ userId: 'user-1', userHash: 'a1'.repeat(32), traits: { plan: 'pro' } });
    expect(plain!.userHash).toBeUndefined();
    expect(h.server.tracks('Later')[0]!.userHash).toBeUndefined();
    // Without its proof the edge would ignore a user id on the consent: the tracker does not send one.
    await waitFor('the consent sync', () => h.server.consents.length > 0);
    for (const c of h.server.consents) expect((c.body as Record<string, unknown>).userId).toBeUndefined();
  });
});
