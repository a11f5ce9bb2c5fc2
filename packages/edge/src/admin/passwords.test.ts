import { describe, expect, it } from 'vitest';
import { hashPassword, passwordMatches, passwordProblem, PBKDF2_ITERATIONS } from './passwords.js';

describe('passwords', () => {
  it('hash with PBKDF2 at 100,000 iterations and a salt of their own, and match only the same password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a.iterations).toBe(PBKDF2_ITERATIONS);
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await passwordMatches('correct horse battery', a)).toBe(true);
    expect(await passwordMatches('correct horse batterY', a)).toBe(false);
    expect(await passwordMatches('correct horse battery', { ...a, salt: b.salt })).toBe(false);
  });

  it('match a published PBKDF2-HMAC-SHA256 vector (RFC 7914 §11, 1 iteration, first 32 bytes)', async () => {
    // P="passwd", S="salt", c=1: 55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc
    const hex = '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc';
    const bytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const stored = { hash: b64(bytes), salt: b64(new TextEncoder().encode('salt')), iterations: 1 };
    expect(await passwordMatches('passwd', stored)).toBe(true);
  });

  it('refuse short, long and non-string new passwords, saying why', () => {
    expect(passwordProblem('12345678901')).toBe('password: at least 12 characters, got 11');
    expect(passwordProblem('123456789012')).toBeNull();
    expect(passwordProblem('x'.repeat(201))).toContain('at most 200');
    expect(passwordProblem(42)).toBe('password: expected a string');
  });
});
