// The Worker process killed mid-load: `wrangler dev` (npx → wrangler → workerd) gets SIGKILL while batches
// are in flight, and is started again on the same state directory and port. The client keeps retrying
// through the outage, as a Segment client does. Every acknowledged event must be in its profile's counters
// exactly once, and in the event log at most once. The log's one exception is the local runtime's own: its
// Queue holds messages in memory, so a killed `wrangler dev` loses the messages its consumer had not taken yet
// (Cloudflare's Queue stores a message before `send` resolves). Every event acknowledged after the restart must
// be in the log, and the loss is printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { killGroup, makeBatch, newStats, processGroupOf, sendUntilAcknowledged, sleep, storedFor } from './edge-helpers.js';

type Dev = { url: string; port: number; state: string; stop: () => Promise<void> };

const VISITORS = 120;
const BATCHES = 240;
const VISITORS_PER_BATCH = 2;
const EVENTS_PER_VISITOR = 10; // 20 events a batch, 4,800 in all
const CONCURRENCY = 6;
/** The kill comes once this share of the batches is acknowledged, so some are in flight and some still to send. */
const KILL_AT = 0.35;
// One client in the test sends far more than the demo site's 600 requests a minute; lift it for this stack only.
const VARS = { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' };

const state = mkdtempSync(join(tmpdir(), 'attune-faults-kill-'));
let dev: Dev | undefined;

afterAll(async () => {
  await dev?.stop();
  rmSync(state, { recursive: true, force: true });
});

it('keeps every acknowledged event in its profile once, and logs none twice, when the Worker is killed mid-load', async () => {
  dev = (await startDev({ persistTo: state, vars: VARS })) as Dev;
  const { url, port } = dev;
  const run = Date.now().toString(36);
  const eventName = `Kill Restart ${run}`;
  const visitors = Array.from({ length: VISITORS }, (_, i) => `kill-${run}-${i}`);
  const batches = Array.from({ length: BATCHES }, (_, b) => makeBatch(Array.from({ length: VISITORS_PER_BATCH }, (_, k) => visitors[(b * VISITORS_PER_BATCH + k) % VISITORS]!), eventName, EVENTS_PER_VISITOR));
  const stats = newStats();
  const deadline = Date.now() + 150_000;

  let next = 0;
  let acknowledgedBatches = 0;
  const load = Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        await sendUntilAcknowledged(url, batches[next++]!, stats, deadline);
        acknowledgedBatches++;
      }
    }),
  );

  // Kill mid-load: wait until a good part is acknowledged, then SIGKILL the whole group at once.
  while (acknowledgedBatches < BATCHES * KILL_AT) await sleep(20);
  const group = processGroupOf(state);
  const inFlightAtKill = next - acknowledgedBatches;
  const killedAt = Date.now();
  await killGroup(group);
  await dev.stop(); // only tidies its bundle directory now: the processes are gone, the state is kept
  await sleep(1000);
  // Counted once the old stack is gone and before the new one starts: an answer the old stack sent just before
  // the kill can reach the client a moment after it (a fresh-clone run counted 2 such batches as acknowledged
  // after the restart). With no stack listening, every acknowledgement so far came from the killed one.
  const acknowledgedAtKill = stats.eventsAcknowledged;
  const acknowledgedBeforeKill = new Set(stats.acknowledgedIds);
  dev = (await startDev({ persistTo: state, port, vars: VARS })) as Dev;
  const downSeconds = (Date.now() - killedAt) / 1000;

  await load;
  const stored = await storedFor(url, visitors, eventName);
  const missingIds = [...stats.acknowledgedIds].filter((id) => !stored.loggedIds.has(id));
  const missing = missingIds.length;
  const missingAfterRestart = missingIds.filter((id) => !acknowledgedBeforeKill.has(id)).length;
  console.log(
    `fault kill-restart: sent ${stats.eventsSent} events in ${stats.batchesSent} batches, acknowledged ${stats.eventsAcknowledged}, ` +
      `stored in profiles ${stored.counted}, in log ${stored.logged} (missing ${missing}: ${missing - missingAfterRestart} in the local Queue's memory at the kill, ${missingAfterRestart} acknowledged after the restart; twice ${stored.loggedTwice}); ` +
      `killed with ${inFlightAtKill} batches in flight and ${acknowledgedAtKill} events acknowledged, down ${downSeconds.toFixed(1)} s; ` +
      `attempts ${stats.attempts}, failures ${JSON.stringify(stats.failures)}`,
  );
  expect(inFlightAtKill).toBeGreaterThan(0); // the kill did land mid-load
  expect(Object.keys(stats.failures).length).toBeGreaterThan(0); // and the client saw the outage
  expect(stats.eventsAcknowledged).toBe(BATCHES * VISITORS_PER_BATCH * EVENTS_PER_VISITOR);
  expect(stats.acknowledgedIds.size).toBe(stats.eventsAcknowledged);
  expect(missingAfterRestart).toBe(0);
  expect(missing).toBeLessThanOrEqual(acknowledgedAtKill);
  expect(stored.loggedTwice).toBe(0);
  expect(stored.logged).toBe(stats.eventsAcknowledged - missing);
  expect(stored.counted).toBe(stats.eventsAcknowledged);
}, 300_000);
