import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCommand } from './import-command.js';
import { emailUserId, hashedId } from '../hash/email-key.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'attune-import-'));
const file = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

type Sent = { url: string; auth: string; body: { batch: Record<string, any>[] } };
/** A fake edge: records each batch; `answer` decides the response (default 200 with nothing rejected). */
function edge(answer: (n: number, body: Sent['body']) => Response = () => Response.json({ success: true })) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string);
    sent.push({ url, auth: (init.headers as Record<string, string>).authorization ?? '', body });
    return answer(sent.length, body);
  }) as unknown as typeof globalThis.fetch;
  return { sent, fetch };
}

async function run(args: string[], fetch?: typeof globalThis.fetch, sleeps: number[] = []) {
  let out = '';
  let err = '';
  const code = await importCommand(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`), { ...(fetch ? { fetch } : {}), sleep: async (ms) => void sleeps.push(ms) });
  return { code, out, err, text: out + err };
}
const TO = ['--to', 'http://edge.test', '--write-key', 'demo-server', '--country', 'DE'];

const CUSTOMERS = [
  'Customer ID,Email Address,Mobile,First Name,Last Name,Birthday,Tier',
  'C1, ADA@Example.com ,0151 2345678,ada,LOVELACE,1990-12-10,gold',
  ',ada@example.com,,,,,', // same email: the same person as line 2
  ',,+49 151 2345678,,,,platinum', // same phone as line 2: the same person again
  ',grace@example.com,,GRACE,hopper,1906-12-09,',
  ',not-an-email,,Nobody,,,', // no valid email, no phone, no id: who is it?
  ',alan@example.com,,Alan,Turing,31/02/1912,', // no such day
].join('\r\n');

describe('attune import customers', () => {
  it('merges rows that are the same person, cleans like ingest, and sends one identify per person', async () => {
    const e = edge();
    const r = await run(['customers', file('c.csv', CUSTOMERS), ...TO], e.fetch);
    expect(r.code).toBe(1); // two rows rejected
    const events = e.sent.flatMap((s) => s.body.batch);
    expect(e.sent[0]!.url).toBe('http://edge.test/v1/batch');
    expect(e.sent[0]!.auth).toBe(`Basic ${btoa('demo-server:')}`);
    const identifies = events.filter((x) => x.type === 'identify');
    expect(identifies).toHaveLength(2); // Ada (3 rows) and Grace
    expect(identifies[0]).toMatchObject({
      userId: 'C1',
      traits: { email: 'ada@example.com', phone: '+491512345678', firstName: 'Ada', lastName: 'Lovelace', birthday: '1990-12-10', tier: 'platinum' },
    });
    expect(identifies[0]!.messageId).toMatch(/^import:customers:[0-9a-f]{64}$/);
    // Without a customer id, the userId is the SHA-256 of the cleaned email.
    expect(identifies[1]).toMatchObject({ userId: await emailUserId('grace@example.com'), traits: { firstName: 'Grace', lastName: 'Hopper' } });
    // Her phone merged her rows but is not linked at the edge unless asked (--link-phones, below).
    expect(events.filter((x) => x.type === 'alias')).toEqual([]);
    expect(r.err).toContain('people: 2 (2 rows merged into another row\'s person');
    expect(r.err).toContain('line 6: no customer id, valid email or phone to tell who this is (email "not-an-email" is invalid)');
    expect(r.err).toContain('line 7: birthday: "31/02/1912" is not a date: no such day');
    expect(r.err).toContain('events: 2 sent, 2 acknowledged, 0 rejected by the edge');
    expect(r.err).toContain('landed: 2 of 2 people; not imported: the 2 rejected rows');
  });

  it('links phone numbers to the person when asked, for orders that know people by phone alone', async () => {
    const e = edge();
    await run(['customers', file('c.csv', CUSTOMERS), ...TO, '--link-phones'], e.fetch);
    const events = e.sent.flatMap((s) => s.body.batch);
    expect(events.filter((x) => x.type === 'alias')).toEqual([expect.objectContaining({ previousId: await hashedId('+491512345678'), userId: 'C1' })]);
  });

  it('sends the same batches when the same file is imported twice (stable messageIds)', async () => {
    const [a, b] = [edge(), edge()];
    const p = file('twice.csv', CUSTOMERS);
    await run(['customers', p, ...TO], a.fetch);
    await run(['customers', p, ...TO], b.fetch);
    expect(b.sent).toEqual(a.sent);
    // …and a changed row is a new identify, so a fresher export updates the profile.
    const c = edge();
    await run(['customers', file('changed.csv', CUSTOMERS.replace('gold', 'silver').replace(',platinum', ',')), ...TO], c.fetch);
    expect(c.sent[0]!.body.batch[0]!.messageId).not.toBe(a.sent[0]!.body.batch[0]!.messageId);
    expect(c.sent[0]!.body.batch[1]!.messageId).toBe(a.sent[0]!.body.batch[1]!.messageId); // Grace did not change
  });

  it('keeps the email out of the traits with --hash-emails, and links it by its hash', async () => {
    const e = edge();
    await run(['customers', file('h.csv', 'customer_id,email\nC9,Zoe@Example.com\n'), ...TO, '--hash-emails'], e.fetch);
    const [identify, alias] = e.sent[0]!.body.batch;
    expect(identify).toMatchObject({ type: 'identify', userId: 'C9', traits: {} });
    expect(JSON.stringify(identify)).not.toContain('zoe');
    expect(alias).toMatchObject({ type: 'alias', previousId: await emailUserId('zoe@example.com'), userId: 'C9' });
  });

  it('checks only, sending nothing, without --to; exit 0 when every row is fine', async () => {
    const r = await run(['customers', file('ok.csv', 'email;first name\nada@example.com;Ada\n')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓');
    expect(r.out).toContain('checked only: nothing was sent; 1 people would be');
  });
});

describe('attune import orders', () => {
  const ORDERS = [
    'order_id;created_at;customer_id;email;sku;quantity;price;total;currency',
    'A-1;2026-05-01 10:00;C1;;s1;2;10,00;30,00;EUR',
    'B-7;2026-05-02;;Grace@Example.com;s9;1;5;5;eur',
    'A-1;2026-05-01 10:00;C1;;s2;1;10,00;30,00;EUR', // a line of A-1, further down the file
    'C-3;2026-02-30;C1;;s1;1;5;5;EUR',
    'D-4;2026-05-03;C1;;s1;1;5;n/a;EUR',
    ';2026-05-03;C1;;s1;1;5;5;EUR',
  ].join('\n');

  it('gathers lines into one Order Completed per order id, attributed like customers, rejecting bad rows by line', async () => {
    const e = edge();
    const r = await run(['orders', file('o.csv', ORDERS), ...TO], e.fetch);
    expect(r.code).toBe(1);
    const [a1, b7, ...rest] = e.sent.flatMap((s) => s.body.batch);
    expect(rest).toEqual([]);
    expect(a1).toEqual({
      type: 'track', event: 'Order Completed', messageId: 'import:orders:A-1', userId: 'C1', timestamp: '2026-05-01T10:00:00.000Z',
      properties: { order_id: 'A-1', total: 30, revenue: 30, currency: 'EUR', products: [{ product_id: 's1', quantity: 2, price: 10 }, { product_id: 's2', quantity: 1, price: 10 }] },
      context: { library: { name: 'attune-import', version: '0.1.0' } },
    });
    expect(b7).toMatchObject({ userId: await emailUserId('grace@example.com'), properties: { total: 5, currency: 'EUR' } });
    expect(r.err).toContain('orders: 2 from 3 rows, revenue 35.00');
    expect(r.err).toContain('line 5: order date: "2026-02-30" is not a date: no such day');
    expect(r.err).toContain('line 6: total: "n/a" is not an amount');
    expect(r.err).toContain('line 7: order id is empty');
  });

  it('lists what the edge rejects with its line, and says exactly what landed', async () => {
    const e = edge((_, body) => Response.json({ success: true, rejected: [{ index: 1, messageId: body.batch[1]!.messageId, path: 'batch[1].timestamp', message: "is older than the site's retention of 395 days" }] }));
    const r = await run(['orders', file('o2.csv', 'order_id,date,email,amount\nX1,2026-05-01,a@example.com,10\nX2,2020-01-01,b@example.com,20\n'), ...TO], e.fetch);
    expect(r.code).toBe(1);
    expect(r.err).toContain('events: 2 sent, 1 acknowledged, 1 rejected by the edge');
    expect(r.err).toContain("line 3: batch[1].timestamp: is older than the site's retention of 395 days");
    expect(r.err).toContain('landed: 1 of 2 orders');
  });

  it('backs off on 429 as Retry-After says, and on 5xx, until the batch lands', async () => {
    const e = edge((n) => (n === 1 ? new Response('{"error":"rate limit"}', { status: 429, headers: { 'retry-after': '7' } }) : n === 2 ? new Response('boom', { status: 503 }) : Response.json({ success: true })));
    const sleeps: number[] = [];
    const r = await run(['orders', file('o3.csv', 'order_id,email,amount\nX1,a@example.com,10\n'), ...TO], e.fetch, sleeps);
    expect(r.code).toBe(0);
    expect(e.sent).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(7000);
    expect(sleeps[0]).toBeLessThan(7300);
    expect(r.out).toContain('events: 1 sent, 1 acknowledged, 0 rejected by the edge (2 retries)');
    expect(r.out).toContain('landed: all 1 orders; importing the same file again changes nothing');
  });

  it('says how many orders know their customer by phone alone, and what links them', async () => {
    const e = edge();
    const r = await run(['orders', file('o4.csv', 'order_id,phone,email,amount\nP1,0151 2345678,,10\nP2,0151 2345678,ada@example.com,12\n'), ...TO], e.fetch);
    expect(e.sent.flatMap((s) => s.body.batch).map((x) => x.userId)).toEqual([await hashedId('+491512345678'), await emailUserId('ada@example.com')]);
    expect(r.out).toContain('note: 1 orders know their customer by phone alone: they join the customer\'s profile if customers were imported with --link-phones');
  });

  it('keeps batches under 500 events', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => `O${i},a${i}@example.com,1`).join('\n');
    const e = edge();
    await run(['orders', file('many.csv', `order_id,email,amount\n${rows}\n`), ...TO, '--batch-size', '500'], e.fetch);
    expect(e.sent.map((s) => s.body.batch.length)).toEqual([500, 500, 203]);
  });
});

describe('attune import: input it cannot use', () => {
  it('stops with one message for a missing file, a directory or a binary file', async () => {
    expect(await run(['customers', join(dir, 'nope.csv')])).toMatchObject({ code: 1, err: expect.stringContaining('no such file; nothing was sent') });
    expect(await run(['customers', dir])).toMatchObject({ code: 1, err: expect.stringContaining('is a directory') });
    expect(await run(['customers', file('x.bin', new Uint8Array([1, 2, 0, 4, 5]))])).toMatchObject({ code: 1, err: expect.stringContaining('is a binary file') });
  });

  it('names a wrong delimiter: a one-column header holding ";"', async () => {
    const r = await run(['customers', file('semi.csv', 'email;first_name\na@example.com;Ada\n'), '--delimiter', ',']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the header is one column, "email;first_name", holding ";": wrong delimiter?');
  });

  it('rejects rows with the wrong number of fields, and rows that are not UTF-8, by line, and goes on', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('email,first_name\na@example.com,Ada\nb@example.com,Fran'), 0xe7, ...new TextEncoder().encode('ois\nc@example.com,Chris,extra\nd@example.com,Dee\n')]);
    const r = await run(['customers', file('latin1.csv', bytes)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('line 3: not valid UTF-8 (line 3)');
    expect(r.err).toContain('save the file as UTF-8');
    expect(r.err).toContain('line 4: has 3 fields, the header has 2');
    expect(r.err).toContain('checked only: nothing was sent; 2 people would be');
  });

  it('is a usage error (exit 2) to leave out a required column or to mistype a flag', async () => {
    const r = await run(['orders', file('noamount.csv', 'order_id,email\n1,a@example.com\n')]);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('missing required column: orders need an amount') });
    expect((await main(['import', 'people', 'x.csv'], () => {}, () => {}))).toBe(2);
    expect((await run(['customers', 'x.csv', '--to', 'http://x'])).err).toContain("--to needs the site's server key");
    expect((await run(['customers', 'x.csv', '--colour', 'red'])).code).toBe(2);
  });
});

describe('attune import: progress', () => {
  it('redraws one bar with rows/s, % and ETA on a terminal, and writes periodic lines in a log', async () => {
    const { Progress } = await import('./import-report.js');
    let t = 0;
    const tty: string[] = [];
    const bar = new Progress({ isTTY: true, write: (s) => tty.push(s) }, () => t);
    bar.begin('reading', 'rows');
    t = 2000;
    bar.update(50_000, 0.5);
    expect(tty.at(-1)).toBe('\r\x1b[K[████████████░░░░░░░░░░░░] reading 50% · 50,000 rows · 25,000 rows/s · ETA 2.0 s');
    const log: string[] = [];
    const lines = new Progress({ isTTY: false, write: (s) => log.push(s) }, () => t);
    lines.begin('sending', 'events');
    t += 1000;
    lines.update(10, 0.1); // within 5 s of the last line: nothing
    t += 5000;
    lines.update(600, 0.25);
    expect(log).toEqual(['sending 25% · 600 events · 100 events/s · ETA 18 s\n']);
  });
});
