import { describe, expect, it } from 'vitest';
import { issueSession, readSession, SESSION_MS } from './session.js';

const T = Date.parse('2030-06-01T00:00:00Z');
const ACCOUNT = { name: 'ana.b-1', role: 'editor' as const, stamp: 'AAAAAAAAAAAAAAAAAAAAAA' };

describe('account sessions', () => {
  it('carry the name, role and stamp under the signature', async () => {
    const s = await issueSession('a-token', T, ACCOUNT);
    expect(s.value).toMatch(/^[\w-]{22}\.\d+\.editor\.A{22}\.ana\.b-1\.[\w-]{43}$/);
    expect(await readSession('a-token', s.value, T + 1)).toEqual({ id: s.id, expires: T + SESSION_MS, actor: { name: 'ana.b-1', role: 'editor' }, stamp: ACCOUNT.stamp });
    expect(await readSession('a-token', s.value, T + SESSION_MS)).toEqual({ error: 'the admin session has expired: sign in again' });
  });

  it('are refused when the role, name or stamp is changed in the cookie, or the token rotated', async () => {
    const { value } = await issueSession('a-token', T, ACCOUNT);
    for (const forged of [value.replace('.editor.', '.publisher.'), value.replace('.ana.b-1.', '.ana.b-2.'), value.replace('A'.repeat(22), 'B'.repeat(22))])
      expect(await readSession('a-token', forged, T + 1), forged).toHaveProperty('error');
    // Nor can an account's value be cut down to the owner's form.
    const parts = value.split('.');
    expect(await readSession('a-token', `${parts[0]}.${parts[1]}.${parts.at(-1)}`, T + 1)).toHaveProperty('error');
    expect(await readSession('another-token', value, T + 1)).toHaveProperty('error');
  });

  it("the owner's value keeps its form, with the owner as actor", async () => {
    const s = await issueSession('a-token', T);
    expect(s.value.split('.')).toHaveLength(3);
    expect(await readSession('a-token', s.value, T + 1)).toEqual({ id: s.id, expires: T + SESSION_MS, actor: { name: 'owner', role: 'owner' } });
  });
});
