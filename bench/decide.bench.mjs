// decide() latency: the pure function with 50 segments and 200 variants (goal p50 ≤ 0.2 ms, p99 ≤ 1 ms),
// one call deciding all 20 slots, as an edge render of a page does; then POST /v1/decide against
// `wrangler dev` for a visitor with a profile (KV read + decide + JSON), as a widget asks. Medians over repeats.
import { readFileSync } from 'node:fs';
import { startDev } from '../packages/edge/scripts/dev-server.mjs';
import { importTs } from './ts.mjs';
import { median, pct } from './stats.mjs';

export const name = 'decide';
const CALLS = Number(process.env.BENCH_DECIDE_CALLS ?? 20_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);


export async function run() {
  const { benchFixture, decide } = await importTs('bench/fixtures/decide-fixture.ts');
  const { compiled, profile, now } = benchFixture();
  const input = (i) => ({
    profile,
    consent: { analytics: true, personalization: true },
    context: { device: 'desktop', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36' },
    bucketingId: `visitor-${i}`,
    now,
  });
  for (let i = 0; i < 2000; i++) decide(compiled, input(i)); // warm up the JIT
  const p50s = [];
  const p99s = [];
  for (let r = 0; r < REPEATS; r++) {
    const t = new Float64Array(CALLS);
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      decide(compiled, input(i));
      t[i] = performance.now() - start;
    }
    p50s.push(pct(t, 50));
    p99s.push(pct(t, 99));
  }
  return [
    ...(await overHttp()),
    {
      bench: 'decide',
      scenario: 'pure decide(): 50 segments, 200 variants, 20 slots, 10 experiments',
      'p50 ms': median(p50s),
      'p99 ms': median(p99s),
      calls: CALLS * REPEATS,
      goal: 'p50 ≤ 0.2 ms, p99 ≤ 1 ms',
    },
  ];
}

const HTTP_REQUESTS = Number(process.env.BENCH_DECIDE_REQUESTS ?? 300);

async function overHttp() {
  const { bucket } = await importTs('packages/edge/src/experiments/hash.ts');
  const { holdout } = JSON.parse(readFileSync(new URL('../demo-site/attune.config.json', import.meta.url), 'utf8'));
  // A visitor outside the demo's holdout, who would otherwise see defaults everywhere.
  let n = 0;
  while (bucket(`holdout:${holdout.salt}`, `bench-decide-${n}`) < holdout.percent / 100) n++;
  const anonymousId = `bench-decide-${n}`;
  // Its own state (the visitor is new each run); unthrottled: 1,500 decides from one client exceed the read budget.
  const dev = await startDev({ vars: { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' } });
  try {
    const post = (path, body) => fetch(`${dev.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
    // A visitor with a profile: consented, told the quiz their skin is dry, viewed a product.
    const now = new Date().toISOString();
    const consent = { consent: { analytics: true, personalization: true } };
    const batch = [
      { type: 'track', event: 'Question Answered', messageId: `${anonymousId}-1`, anonymousId, timestamp: now, properties: { quiz: 'skin', question: 'skin-type', answer: 'dry' }, context: consent },
      { type: 'track', event: 'Product Viewed', messageId: `${anonymousId}-2`, anonymousId, timestamp: now, properties: { product_id: 'moi-001' }, context: consent },
    ];
    const ingest = await post('/v1/batch', { writeKey: 'demo', batch });
    if (!ingest.ok) throw new Error(`ingest for the decide bench: ${ingest.status} ${await ingest.text()}`);
    const body = { writeKey: 'demo', anonymousId, context: { page: { path: '/' } } };
    for (let i = 0; i < 30; i++) await (await post('/v1/decide', body)).arrayBuffer(); // warm up
    const p50s = [];
    const p99s = [];
    let variant = '';
    for (let r = 0; r < REPEATS; r++) {
      const t = [];
      for (let i = 0; i < HTTP_REQUESTS; i++) {
        const start = performance.now();
        const res = await post('/v1/decide', body);
        const json = await res.json();
        t.push(performance.now() - start);
        variant = json.slots?.hero?.variant ?? `HTTP ${res.status}`;
      }
      p50s.push(pct(t, 50));
      p99s.push(pct(t, 99));
    }
    return [
      {
        bench: 'decide',
        scenario: `POST /v1/decide against wrangler dev, visitor with a profile (hero: ${variant}); local networking included`,
        'p50 ms': median(p50s),
        'p99 ms': median(p99s),
        calls: HTTP_REQUESTS * REPEATS,
        goal: '',
      },
    ];
  } finally {
    await dev.stop();
  }
}
