import { describe, expect, it } from 'vitest';
import { DEV_IDENTITY_SECRET, identitySecret, provenUserId, userHash, verifyUserHash } from './identity-proof.js';

const site = { identitySecretEnv: 'ATTUNE_IDENTITY_SECRET' };

describe('identity proof (userHash)', () => {
  it("is the hex HMAC-SHA-256 of the user id, as any backend's HMAC computes it", async () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(await userHash('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('proves only the user id it was made for, with the right secret; upper-case hex passes too', async () => {
    const h = await userHash('s3cret', 'user-1');
    expect(await verifyUserHash('s3cret', 'user-1', h)).toBe(true);
    expect(await verifyUserHash('s3cret', 'user-1', h.toUpperCase())).toBe(true);
    expect(await verifyUserHash('s3cret', 'user-2', h)).toBe(false);
    expect(await verifyUserHash('other', 'user-1', h)).toBe(false);
    for (const bad of [undefined, '', 'zz', h.slice(0, 62), `${h}00`, 42]) expect(await verifyUserHash('s3cret', 'user-1', bad)).toBe(false);
  });

  it("reads the secret the site's config names; the dev fallback only in development; none in production means no proof", async () => {
    expect(identitySecret({ ATTUNE_ENV: 'production', ATTUNE_IDENTITY_SECRET_SHOP: 'k' }, { identitySecretEnv: 'ATTUNE_IDENTITY_SECRET_SHOP' })).toBe('k');
    expect(identitySecret({ ATTUNE_ENV: 'development' }, site)).toBe(DEV_IDENTITY_SECRET);
    const devProof = await userHash(DEV_IDENTITY_SECRET, 'user-1');
    expect(await provenUserId({ ATTUNE_ENV: 'production' }, site, 'user-1', devProof)).toBeUndefined();
    expect(await provenUserId({ ATTUNE_ENV: 'development' }, site, 'user-1', devProof)).toBe('user-1');
    expect(await provenUserId({ ATTUNE_ENV: 'development' }, site, 'user-1', undefined)).toBeUndefined();
  });
});
