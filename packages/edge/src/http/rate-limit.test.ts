import { describe, expect, it } from 'vitest';
import { clientAddress, take } from './rate-limit.js';

describe('clientAddress', () => {
  it('counts an IPv6 address as its /64, however it is written, and an IPv4 address as itself', () => {
    const same = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:fffe', '2001:DB8:1:2:0:0:0:99'];
    expect(new Set(same.map(clientAddress))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientAddress('2001:db8:1:3::1')).not.toBe(clientAddress('2001:db8:1:2::1'));
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
    expect(clientAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('take', () => {
  it('refuses past the limit within a window, with the seconds left, and starts over after it', () => {
    const state = new Map();
    const t0 = 1_000_000;
    expect(take(state, 'k', 2, t0)).toEqual({ ok: true });
    expect(take(state, 'k', 2, t0 + 1)).toEqual({ ok: true });
    expect(take(state, 'k', 2, t0 + 20_000)).toEqual({ ok: false, retryAfter: 40 });
    expect(take(state, 'other', 2, t0 + 20_000)).toEqual({ ok: true });
    expect(take(state, 'k', 2, t0 + 60_000)).toEqual({ ok: true });
  });
});
