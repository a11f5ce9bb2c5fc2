#!/usr/bin/env node
// Writes a customers CSV and an orders CSV of realistic shape for `attune import`: mixed-case names and
// emails, national and international phone numbers, people listed twice (same email in another case, same
// phone), ~1% dirty rows (invalid email, impossible birthday, unreadable amount or date, missing order id),
// and orders spread over several line rows that are not always adjacent. Deterministic for a given seed and
// day (order dates are within the last 300 days, so they stay inside the demo site's retention).
//   node packages/edge/scripts/gen-import-csv.mjs <dir> [rows=100000] [--seed 1] [--today 2026-11-30]
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const dir = positional[0] ?? '.';
const rows = Number(positional[1] ?? 100_000);
let seed = Number(opt('--seed', '1')) >>> 0 || 1;
const today = Date.parse(`${opt('--today', new Date().toISOString().slice(0, 10))}T00:00:00Z`);

// mulberry32: small, fast and the same everywhere.
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];
const FIRST = ['ada', 'Grace', 'ALAN', 'Marie', 'jean-luc', 'Zoë', 'Søren', 'Ana', 'LUCÍA', 'Mohammed', 'Yuki', 'Olu', 'Priya', "o'brien", 'Hans', 'Chloé'];
const LAST = ['Lovelace', 'HOPPER', 'turing', 'Curie', 'Picard', 'Müller', 'García', 'Nakamura', 'Okafor', 'Sharma', 'Schmidt', 'Dubois', 'Rossi', 'Kowalski'];
const DOMAINS = ['example.com', 'mail.example.org', 'shop.example.net'];
const SKUS = Array.from({ length: 200 }, (_, i) => `SKU-${String(i + 1).padStart(4, '0')}`);

const csv = (v) => (/[",;\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
async function write(file, header, gen) {
  const out = createWriteStream(file);
  out.write(`${header.join(',')}\r\n`);
  for (const r of gen()) if (!out.write(`${r.map((v) => csv(String(v))).join(',')}\r\n`)) await new Promise((ok) => out.once('drain', ok));
  await new Promise((ok) => out.end(ok));
}

await mkdir(dir, { recursive: true });
const people = Math.round(rows * 0.95); // the rest are the same people listed again
const email = (i) => `${FIRST[i % FIRST.length].toLowerCase().replace(/[^a-z]/g, '')}.${i}@${DOMAINS[i % DOMAINS.length]}`;

await write(join(dir, 'customers.csv'), ['Customer ID', 'Email Address', 'Mobile', 'First Name', 'Last Name', 'Date of Birth', 'Country', 'Loyalty Tier'], function* () {
  for (let r = 0; r < rows; r++) {
    const dup = r >= people;
    const i = dup ? Math.floor(rand() * people) : r;
    const y = 1950 + (i % 55);
    const m = 1 + (i % 12);
    const d = 1 + (i % 28);
    let mail = email(i);
    let birthday = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const phone = i % 3 === 0 ? `0151 ${String(1000000 + i).slice(-7)}` : i % 3 === 1 ? `+49 30 ${String(100000 + i)}` : '';
    // A third of the people have a shop customer id; duplicates come without it, found again by email or phone.
    const id = !dup && i % 3 === 2 ? `C${100000 + i}` : '';
    if (dup) mail = rand() < 0.5 ? ` ${mail.toUpperCase()}` : phone ? '' : mail;
    if (!dup && rand() < 0.005) mail = mail.replace('@', '');
    if (!dup && rand() < 0.005) birthday = `${y}-02-31`;
    yield [id, mail, phone, FIRST[i % FIRST.length], LAST[i % LAST.length], birthday, 'DE', pick(['', 'silver', 'gold'])];
  }
});

await write(join(dir, 'orders.csv'), ['Order ID', 'Created At', 'Customer ID', 'Email', 'SKU', 'Qty', 'Unit Price', 'Total', 'Currency'], function* () {
  let held = []; // some lines come later in the file, as exports merged from two tills do
  let o = 0;
  for (let r = 0; r < rows; ) {
    o++;
    const i = Math.floor(rand() * people);
    const lines = 1 + Math.floor(rand() * 4);
    const at = new Date(today - Math.floor(rand() * 300 * 86_400_000)).toISOString().slice(0, 19).replace('T', ' ');
    const items = Array.from({ length: lines }, () => [pick(SKUS), 1 + Math.floor(rand() * 3), (5 + Math.floor(rand() * 9500) / 100).toFixed(2)]);
    const total = items.reduce((s, [, q, p]) => s + q * Number(p), 0).toFixed(2);
    const id = i % 3 === 2 ? `C${100000 + i}` : '';
    for (const [sku, q, p] of items) {
      if (r >= rows) break;
      let row = [`O${String(o).padStart(7, '0')}`, at, id, id ? '' : email(i), sku, q, p, total, 'EUR'];
      const x = rand();
      if (x < 0.003) row[7] = 'n/a';
      else if (x < 0.006) row[1] = '2026-02-30 10:00:00';
      else if (x < 0.008) row[0] = '';
      if (rand() < 0.02) held.push(row);
      else yield row;
      r++;
    }
    if (held.length > 50) yield* held.splice(0);
  }
  yield* held;
});
console.error(`wrote ${join(dir, 'customers.csv')} and ${join(dir, 'orders.csv')}: ${rows} rows each`);
