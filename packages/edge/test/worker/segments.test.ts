// Segment membership kept current on every merge, with entries and exits in the event log.
import { describe, expect, it } from 'vitest';
import { d1Count, post, profileOf, track, uid } from './helpers.js';

const consent = { consent: { analytics: true, personalization: true } };
const answer = (anonymousId: string, value: string) =>
  track(anonymousId, 'Question Answered', { properties: { quiz: 'skin', question: 'skin-type', answer: value }, context: consent });

describe('segments on every merge', () => {
  it('enters a visitor into the segment their answer implies, with the time entered, and moves them when it changes', async () => {
    const a = uid('anon');
    const first = { writeKey: 'demo', batch: [answer(a, 'dry')] };
    expect((await post('/v1/batch', first)).status).toBe(200);
    let p = await profileOf(a);
    expect(Object.keys(p.segments)).toContain('dry-skin');
    const since = p.segments['dry-skin']!.since;
    expect(Date.now() - Date.parse(since)).toBeLessThan(60_000);

    // A retry of the same batch changes nothing, and logs nothing twice.
    expect((await post('/v1/batch', first)).status).toBe(200);
    expect(await d1Count(`anonymous_id = ? AND name = 'Segment Entered' AND json_extract(body, '$.properties.segment_id') = 'dry-skin'`, a)).toBe(1);

    // Still dry after another event: the time entered stays.
    await post('/v1/batch', { writeKey: 'demo', batch: [track(a, 'Product Viewed', { context: consent })] });
    expect((await profileOf(a)).segments['dry-skin']!.since).toBe(since);

    await post('/v1/batch', { writeKey: 'demo', batch: [answer(a, 'oily')] });
    p = await profileOf(a);
    expect(Object.keys(p.segments)).toContain('oily-skin');
    expect(Object.keys(p.segments)).not.toContain('dry-skin');
    expect(await d1Count(`anonymous_id = ? AND name = 'Segment Exited' AND json_extract(body, '$.properties.segment_id') = 'dry-skin'`, a)).toBe(1);
    expect(await d1Count(`anonymous_id = ? AND name = 'Segment Entered' AND json_extract(body, '$.properties.segment_id') = 'oily-skin'`, a)).toBe(1);
  });

  it('keeps no segments for a visitor who granted analytics only', async () => {
    const a = uid('anon');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(a, 'Question Answered', { properties: { quiz: 'skin', question: 'skin-type', answer: 'dry' }, context: { consent: { analytics: true, personalization: false } } })] });
    expect((await profileOf(a)).segments).toEqual({});
  });
});
