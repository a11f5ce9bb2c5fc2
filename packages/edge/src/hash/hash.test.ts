import { describe, expect, it } from 'vitest';
import { emailKey, emailUserId, hashedId, normalizeEmail } from './email-key.js';
import { cyrb64, fmix32, fnv1a32, hash32, hex32 } from './fast.js';
import { sha256Hex, toHex } from './sha256.js';

const TEXTS = ['', 'a', 'visitor-1', 'crème brûlée', '🙂 emoji', 'x'.repeat(300), 'lone \ud800 surrogate'];

describe('fast hashes', () => {
  it('fnv1a32 is FNV-1a: the published 32-bit test vectors', () => {
    // http://www.isthe.com/chongo/src/fnv/test_fnv.c (FNV-1a 32: "", "a", "foobar")
    expect([fnv1a32(''), fnv1a32('a'), fnv1a32('foobar')]).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
  });

  it('hash32 (bucketing) is FNV-1a then fmix32, and gives what experiments/hash.ts gave before it moved here', () => {
    expect(TEXTS.map((s) => hash32(s))).toEqual([2872998923, 444641715, 2559955787, 1400703399, 3777249135, 115736690, 2026348130]);
    expect(TEXTS.map((s) => hash32(s, 0x9747b28c))).toEqual([3954623016, 774554503, 3174960653, 3203239403, 1236423944, 1583076178, 2977474147]);
    expect(hash32('visitor-1')).toBe(fmix32(fnv1a32('visitor-1')));
    expect(fmix32(0)).toBe(0); // the finalizer alone maps 0 to 0: only the FNV lane in front makes '' non-zero
  });

  it('cyrb64 mixes both lanes: a one-character change flips about half of the 64 bits', () => {
    const bits = (n: number) => n.toString(2).replaceAll('0', '').length;
    const [a1, a2] = cyrb64('event-1');
    const [b1, b2] = cyrb64('event-2');
    const flipped = bits((a1 ^ b1) >>> 0) + bits((a2 ^ b2) >>> 0);
    expect(flipped).toBeGreaterThan(16);
    expect(flipped).toBeLessThan(48);
  });

  it('hex32 pads to 8 digits and reads a negative int32 as unsigned', () => {
    expect([hex32(0), hex32(255), hex32(-1)]).toEqual(['00000000', '000000ff', 'ffffffff']);
  });
});

describe('sha256Hex', () => {
  it('is SHA-256 of the UTF-8 bytes: FIPS 180-2 "abc", the empty text, and a lone surrogate as U+FFFD', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('lone \ud800 surrogate')).toBe(await sha256Hex('lone \ufffd surrogate'));
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
  });
});

describe('email key', () => {
  it('normalizes by trimming and lower-casing only', () => {
    expect(normalizeEmail('  Ada+News@Example.COM\n')).toBe('ada+news@example.com');
  });

  it('hashes the normalized address: the user id attune import sends, and the u: profile key the Worker links', async () => {
    const hex = 'b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72'; // sha256("ada@example.com")
    expect(await emailUserId(' ADA@example.com')).toBe(`sha256:${hex}`);
    expect(await emailKey(' ADA@example.com')).toBe(`u:sha256:${hex}`);
    expect(await hashedId('ada@example.com')).toBe(`sha256:${hex}`);
    expect(await hashedId('ADA@example.com')).not.toBe(`sha256:${hex}`); // hashedId takes a value already normalized
  });
});
