import { describe, expect, it } from 'vitest';
import { aliasKeys, routeKey } from './keys.js';

describe('profile keys', () => {
  it('routes a known user by user id and anyone else by anonymous id', () => {
    expect(routeKey({ userId: 'u1', anonymousId: 'a1' })).toBe('u:u1');
    expect(routeKey({ anonymousId: 'a1' })).toBe('a:a1');
  });

  it("links an alias's previousId as an anonymous and a user id, an imported sha256 id as a user id only", () => {
    expect(aliasKeys('anon-123')).toEqual(['a:anon-123', 'u:anon-123']);
    const hashed = `sha256:${'ab'.repeat(32)}`;
    expect(aliasKeys(hashed)).toEqual([`u:${hashed}`]);
    // Not the import's shape (too short, upper case): could be anything a client sent.
    expect(aliasKeys('sha256:abc')).toEqual(['a:sha256:abc', 'u:sha256:abc']);
  });
});
