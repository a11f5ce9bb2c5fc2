import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

it('accepts a batch', async () => {
  const res = await SELF.fetch('http://localhost/v1/batch', {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ writeKey: 'demo', batch: [{ type: 'track', event: 'x', messageId: 'm1', anonymousId: 'a1' }] }),
  });
  expect(await res.json()).toEqual({ success: true });
});
