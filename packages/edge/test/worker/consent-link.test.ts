// A signed-in customer's consent, identify and later events end up on one profile, whatever order they come in:
// the page's later events carry no proof, go by the anonymous id, and must still reach the customer's profile.
import { describe, expect, it } from 'vitest';
import { DEV_IDENTITY_SECRET, userHash } from '../../src/http/identity-proof.js';
import { freshVisitorId, post, profileOf, track, uid } from './helpers.js';

const granted = { analytics: true, personalization: true };

describe('a proven customer who grants consent before identifying', () => {
  it('keeps one profile: the events sent afterwards without a proof count on the customer profile', async () => {
    const anon = freshVisitorId();
    const user = uid('cust');
    const proof = await userHash(DEV_IDENTITY_SECRET, user);
    expect((await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, userId: user, userHash: proof, consent: granted })).status).toBe(200);
    const identify = { type: 'identify', messageId: uid('m'), anonymousId: anon, userId: user, userHash: proof, timestamp: new Date().toISOString(), traits: { firstName: 'Ada' }, context: { consent: granted } };
    expect((await post('/v1/batch', { writeKey: 'demo', batch: [identify] })).status).toBe(200);
    // What the tracker sends next: the remembered user id, no proof.
    const later = [1, 2, 3].map(() => track(anon, 'Page Seen', { userId: user, context: { consent: granted } }));
    expect((await post('/v1/batch', { writeKey: 'demo', batch: later })).status).toBe(200);

    const byUser = await profileOf(`u:${user}`);
    const byAnon = await profileOf(`a:${anon}`);
    expect(byAnon.id).toBe(byUser.id);
    expect(byUser.counters['Page Seen']?.count).toBe(3);
    expect(byUser.traits.firstName).toBe('Ada');
    expect(byUser.consent).toMatchObject(granted);
  });
});
