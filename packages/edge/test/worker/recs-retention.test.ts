// The recommendation statistics' claims (rec_claims, one per profile batch) do not pile up: the nightly cron
// purges the ones past the site's retention (+1 day), when the ingest can no longer accept their events again.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { purgeRecClaims } from '../../src/recs/store.js';
import { post, track, uid } from './helpers.js';
import { untilD1 } from './recs-helpers.js';

const DAY = 86_400_000;
const claims = async (ids: string[]) => {
  const r = await env.EVENTS.prepare('SELECT site, id FROM rec_claims WHERE id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
    .all<{ site: string; id: string }>();
  return r.results.map((x) => `${x.site}/${x.id}`);
};

describe('purgeRecClaims', () => {
  it("deletes this site's claims older than the retention plus a day, and keeps newer ones and other sites'", async () => {
    const now = Date.now();
    // A real claim, made by the ingest counting an accepted event (this also creates the tables): the profile
    // writer's key and the batch's first new messageId.
    const event = track(uid('a'), 'Product Viewed', { properties: { product_id: 'cle-001' } });
    expect((await post('/v1/batch', { writeKey: 'demo', batch: [event] })).status).toBe(200);
    const fresh = `a:${event.anonymousId}|${event.messageId}`;
    await untilD1('the batch\'s claim', async () => (await claims([fresh])).length === 1); // the log's consumer may add it after the answer
    const [old, margin, otherSite] = [uid('m-old'), uid('m-margin'), uid('m-other')];
    const plant = (site: string, id: string, daysAgo: number) =>
      env.EVENTS.prepare("INSERT INTO rec_claims (site, id, at, token) VALUES (?1, ?2, ?3, 't')").bind(site, id, new Date(now - daysAgo * DAY).toISOString()).run();
    await plant('demo', old, 30);
    await plant('demo', margin, 20.5); // past the 20-day retention, inside the day of margin for clocks ahead
    await plant('other', otherSite, 30);
    const all = [fresh, old, margin, otherSite];
    expect(await claims(all)).toHaveLength(4);

    expect(await purgeRecClaims(env.EVENTS, 'demo', 20, now)).toBeGreaterThanOrEqual(1);
    expect(new Set(await claims(all))).toEqual(new Set([`demo/${fresh}`, `demo/${margin}`, `other/${otherSite}`]));
  });
});
