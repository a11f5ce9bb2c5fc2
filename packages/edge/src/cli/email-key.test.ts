// `attune import` and the Worker must name a person known by email alike: the import sends them as
// `sha256:<hex>`, the Worker links a visitor who identifies with that email to `u:sha256:<hex>`. Were the two to
// drift, imported customers would silently stay apart from their online profiles.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailKey } from '../hash/email-key.js';
import { EMAIL_KEYS } from '../hash/email-key-samples.js';
import { cleanEmail } from '../ingest/clean.js';
import { importCommand } from './import-command.js';

const dir = mkdtempSync(join(tmpdir(), 'attune-email-key-'));
const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Imports a CSV into a fake edge; the events it sent. */
async function imported(kind: 'customers' | 'orders', lines: string[]): Promise<Record<string, any>[]> {
  const path = join(dir, `${kind}.csv`);
  writeFileSync(path, lines.join('\n'));
  const sent: Record<string, any>[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    sent.push(...(JSON.parse(init.body as string) as { batch: Record<string, any>[] }).batch);
    return Response.json({ success: true });
  }) as unknown as typeof globalThis.fetch;
  const code = await importCommand([kind, path, '--to', 'http://edge.test', '--write-key', 'demo-server'], () => {}, () => {}, { fetch });
  expect(code).toBe(0);
  return sent;
}

/**
 * What the Worker does with a server-key identify carrying the email: linkPlan (profile/linking.ts) cleans the
 * address, the writer hashes it. (linkPlan itself is held to EMAIL_KEYS in src/hash/stored-values.test.ts, in
 * workerd: the profile modules do not compile for Node.)
 */
async function workerKeys(raw: string): Promise<string[]> {
  const { value, valid } = cleanEmail(raw);
  return valid ? [await emailKey(value)] : [];
}

describe('the same messy email gives the same key in `attune import` and in the Worker', () => {
  it('orders: each order is attributed to the key the Worker links (spaces, case, unicode, plus addressing)', async () => {
    const sent = await imported('orders', ['order_id,email,total', ...EMAIL_KEYS.map(([raw], i) => `O-${i},${quoted(raw)},5`)]);
    expect(sent.map((e) => `u:${e.userId}`)).toEqual(EMAIL_KEYS.map(([, key]) => key));
    for (const [raw, key] of EMAIL_KEYS) expect(await workerKeys(raw), JSON.stringify(raw)).toEqual([key]);
  });

  it('customers: one identify per person, under the key the Worker links (addresses equal once cleaned are one person)', async () => {
    const sent = await imported('customers', ['email,first_name', ...EMAIL_KEYS.map(([raw], i) => `${quoted(raw)},P${i}`)]);
    expect(sent.filter((e) => e.type === 'identify').map((e) => `u:${e.userId}`)).toEqual([...new Set(EMAIL_KEYS.map(([, key]) => key))]);
  });

  it('the key is the one function both call: emailKey cleans a raw address itself', async () => {
    for (const [raw, key] of EMAIL_KEYS) expect(await emailKey(raw), JSON.stringify(raw)).toBe(key);
  });
});
