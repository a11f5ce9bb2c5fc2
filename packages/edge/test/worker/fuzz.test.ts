// Property-based fuzzing of every public route: whatever arrives, the answer is never a 5xx, a refusal is
// JSON that says what, and a 200 on a batch accounts for every event (stored, or named as rejected).
import { env, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logSettled, ORIGIN } from './helpers.js';

const ROUTES = ['/v1/batch', '/v1/track', '/v1/page', '/v1/identify', '/v1/alias', '/v1/screen', '/v1/group', '/v1/consent'] as const;
const RUNS_PER_ROUTE = 260; // 8 routes → 2,080 payloads

const now = Date.now();
const iso = fc.oneof(
  fc.integer({ min: now - 400 * 86_400_000, max: now + 5 * 86_400_000 }).map((t) => new Date(t).toISOString()),
  fc.constantFrom('yesterday', '2026-13-45T99:00:00Z', '', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z'),
);
const id = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('', ' ', 'x'.repeat(300)), fc.integer(), fc.constant(null));
const nasty = fc.oneof(
  fc.constant(JSON.parse('{"__proto__":{"polluted":true}}')),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
  fc.integer({ min: 1, max: 30 }).map((d) => JSON.parse('{"a":'.repeat(d) + '1' + '}'.repeat(d))),
  fc.constant('x'.repeat(40_000)),
);
const props = fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.jsonValue({ maxDepth: 3 }), nasty), { maxKeys: 5 }), fc.jsonValue({ maxDepth: 2 }));
const chaos = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'page', 'identify', 'alias', 'screen', 'group'), fc.string({ maxLength: 8 }), fc.integer()),
    messageId: id,
    anonymousId: id,
    userId: id,
    previousId: id,
    groupId: id,
    event: fc.oneof(fc.constantFrom('Product Viewed', 'Order Completed', 'Question Answered', 'Product Added'), id),
    timestamp: iso,
    sentAt: iso,
    properties: props,
    traits: fc.oneof(props, fc.record({ email: fc.emailAddress(), phone: fc.string({ maxLength: 20 }), firstName: fc.string({ maxLength: 10 }) })),
    context: fc.oneof(
      fc.record({ consent: fc.record({ analytics: fc.oneof(fc.boolean(), fc.jsonValue()), personalization: fc.boolean() }), locale: fc.string({ maxLength: 6 }) }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
  { requiredKeys: [] },
);
// Mostly well-formed events, so acceptance is exercised as much as refusal.
const valid = fc.record(
  {
    type: fc.constantFrom('track', 'page', 'identify', 'alias', 'screen', 'group'),
    messageId: fc.uuid(),
    anonymousId: fc.uuid(),
    userId: fc.oneof(fc.constant(undefined), fc.constant(null), fc.uuid()),
    previousId: fc.uuid(),
    groupId: fc.uuid(),
    event: fc.constantFrom('Product Viewed', 'Order Completed', 'Question Answered', 'Product Added', 'Signed Up'),
    timestamp: fc.integer({ min: now - 30 * 86_400_000, max: now }).map((t) => new Date(t).toISOString()),
    properties: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
    traits: fc.record({ email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 12 })), phone: fc.string({ maxLength: 16 }), firstName: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }),
    context: fc.record({ consent: fc.record({ analytics: fc.boolean(), personalization: fc.boolean() }), locale: fc.constantFrom('en-US', 'de-DE', 'fr') }, { requiredKeys: [] }),
  },
  { requiredKeys: ['type', 'messageId', 'anonymousId', 'event', 'previousId', 'groupId'] },
);
const event = fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: chaos });
const item = fc.oneof({ weight: 4, arbitrary: event }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
// The public key and the server key (a page may not alias: only the server key gets an alias accepted).
const writeKey = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('demo', 'demo-server') }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(undefined)) });

const bodyFor = (route: string) => {
  const structured =
    route === '/v1/batch'
      ? fc.record(
          {
            writeKey,
            batch: fc.oneof({ weight: 6, arbitrary: fc.array(item, { maxLength: 8 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
            sentAt: fc.oneof({ weight: 6, arbitrary: fc.constant(new Date(now).toISOString()) }, { weight: 1, arbitrary: iso }),
            dropped: fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 0 }) }),
            context: fc.oneof({ weight: 6, arbitrary: fc.record({ locale: fc.constant('en-GB') }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
          },
          { requiredKeys: ['writeKey', 'batch'] },
        )
      : route === '/v1/consent'
        ? fc.record(
            {
              writeKey,
              anonymousId: fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: id }),
              userId: id,
              consent: fc.oneof({ weight: 4, arbitrary: fc.record({ analytics: fc.boolean(), personalization: fc.boolean() }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
            },
            { requiredKeys: ['writeKey', 'anonymousId', 'consent'] },
          )
        : fc.tuple(event, writeKey, fc.boolean()).map(([e, k, same]) => ({ ...e, ...(same ? { type: route.slice(4) } : {}), writeKey: k }));
  return fc.oneof(
    { weight: 12, arbitrary: structured.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
};
const contentType = fc.constantFrom('text/plain', 'text/plain', 'application/json', 'text/plain;charset=UTF-8', 'application/json', 'application/json; charset=utf-8', undefined, 'text/html', 'multipart/form-data');

type Answer = { success?: unknown; error?: unknown; rejected?: { index: number; messageId?: string; path: string; message: string }[] };

describe('fuzz: every public route', () => {
  for (const route of ROUTES) {
    it(`never answers 5xx and always says what was wrong: ${route}`, async () => {
      let statuses: Record<number, number> = {};
      await fc.assert(
        fc.asyncProperty(bodyFor(route), contentType, fc.boolean(), fc.nat(255), async (body, type, gzipHeader, ip) => {
          // A server key comes from a server (no Origin); from a page it is refused as a leak.
          const headers: Record<string, string> = { ...(body.includes('"demo-server"') ? {} : { origin: ORIGIN }), 'cf-connecting-ip': `10.9.${ip}.${Math.floor(Math.random() * 250)}` };
          if (type) headers['content-type'] = type;
          if (gzipHeader && ip % 8 === 0) headers['content-encoding'] = 'gzip'; // claimed, not true
          const res = await SELF.fetch(`${ORIGIN}${route}`, { method: 'POST', headers, body });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          expect(res.status, body.slice(0, 300)).toBeLessThan(500);
          const answer = (await res.json()) as Answer;
          expect(typeof answer.success).toBe('boolean');
          if (res.status >= 400) expect(answer.error, body.slice(0, 200)).toEqual(expect.stringMatching(/\w{3}/));
          if (route === '/v1/batch' && res.status === 200) {
            const batch = (JSON.parse(body) as { batch: Record<string, unknown>[] }).batch;
            const rejected = new Set((answer.rejected ?? []).map((r) => r.index));
            for (const r of answer.rejected ?? []) expect(r.path).toMatch(new RegExp(`^batch\\[${r.index}\\]`));
            // Every event not named as rejected is in the event log.
            const kept = batch.filter((_, i) => !rejected.has(i)).map((e) => e.messageId).filter((m): m is string => typeof m === 'string');
            if (kept.length) {
              await logSettled(); // the log Queue's consumer writes the log just after the answer
              const row = await env.EVENTS.prepare('SELECT count(*) AS n FROM events WHERE site = ? AND message_id IN (SELECT value FROM json_each(?))')
                .bind('demo', JSON.stringify(kept.map((m) => m.trim())))
                .first<{ n: number }>();
              expect(row!.n).toBe(new Set(kept.map((m) => m.trim())).size);
            }
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      // The property is only meaningful if both acceptance and refusal were exercised.
      expect(statuses[200], JSON.stringify(statuses)).toBeGreaterThan(0);
      expect(statuses[400], JSON.stringify(statuses)).toBeGreaterThan(0);
      statuses = {};
    }, 180_000);
  }
});
