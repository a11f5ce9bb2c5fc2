// The importer against the real local stack (`wrangler dev`): a customers file and an orders file, each
// imported twice, land once — the profile has the traits, and orders and revenue counted once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { emailUserId } from '../hash/email-key.js';
import { main } from './main.js';

let dev: { url: string; stop: () => Promise<void>; output: () => string };
beforeAll(async () => {
  dev = await startDev();
}, 120_000);
afterAll(() => dev?.stop());

const dir = mkdtempSync(join(tmpdir(), 'attune-import-e2e-'));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
const profile = async (id: string) => {
  const res = await fetch(`${dev.url}/v1/profiles/${encodeURIComponent(id)}`, { headers: { authorization: 'Bearer dev-admin' } });
  expect(res.status, `profile ${id}`).toBe(200);
  return res.json();
};
async function attune(...argv: string[]) {
  let text = '';
  const code = await main(argv, (s) => (text += `${s}\n`), (s) => (text += `${s}\n`));
  return { code, text };
}

describe('attune import against wrangler dev', () => {
  it('imports customers and orders; a second import of the same files changes nothing', async () => {
    const run = Date.now().toString(36);
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const customers = file('customers.csv', [
      'Customer ID;Email Address;Mobile;First Name;Last Name',
      `C-${run};ADA.${run}@Example.com;0151 2345678;ada;LOVELACE`,
      `;ada.${run}@example.com;;;`,
      `;grace.${run}@example.com;;GRACE;hopper`,
    ].join('\r\n'));
    const orders = file('orders.csv', [
      'order_id,order date,customer_id,email,sku,quantity,price,total,currency',
      `A-${run},${day(3)},C-${run},,s1,2,10.00,30.00,EUR`,
      `G-${run},${day(2)},,grace.${run}@example.com,s9,1,5.50,5.50,EUR`,
      `A-${run},${day(3)},C-${run},,s2,1,10.00,30.00,EUR`,
    ].join('\n'));
    // The server key: an import's user ids and emails are trusted to link profiles (a page's are not).
    const to = ['--to', dev.url, '--write-key', 'demo-server', '--country', 'DE'];

    for (const attempt of [1, 2]) {
      const c = await attune('import', 'customers', customers, ...to);
      expect(c.text, `customers, import ${attempt}`).toContain('landed: all 2 people');
      expect(c.code).toBe(0);
      const o = await attune('import', 'orders', orders, ...to);
      expect(o.text, `orders, import ${attempt}`).toContain('landed: all 2 orders');
      expect(o.code).toBe(0);
    }

    const ada = await profile(`C-${run}`);
    expect(ada.traits).toMatchObject({ email: `ada.${run}@example.com`, phone: '+491512345678', firstName: 'Ada', lastName: 'Lovelace' });
    expect(ada.commerce).toMatchObject({ orders: 1, revenue: 30 });
    expect(ada.counters['Order Completed'].count).toBe(1);

    const grace = await profile(await emailUserId(`grace.${run}@example.com`));
    expect(grace.traits).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' });
    expect(grace.commerce).toMatchObject({ orders: 1, revenue: 5.5 });
  }, 30_000);
});
