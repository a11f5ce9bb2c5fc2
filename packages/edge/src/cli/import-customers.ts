// Customers: rows → cleaned people → one `identify` each. Pure, apart from hashing (WebCrypto, so async).
// Rows that are the same person (same customer id, same normalized email or same E.164 phone, transitively)
// are merged with a union-find before anything is sent; a later row's non-empty value wins. Cleaning is the
// ingest's own (src/ingest/clean.ts), so an imported email or phone looks exactly like one sent by a browser.
import { cleanEmail, cleanTraits, type Flag } from '../ingest/clean.js';
import { emailUserId, hashedId } from '../hash/email-key.js';
import { aliasMessageId, customerMessageId } from './import-ids.js';
import type { Mapping } from './import-mapping.js';
import { parseDate, type DateOrder } from './import-values.js';

export interface RowOptions {
  /** the country national phone numbers are read in when a row has none */
  country?: string | undefined;
  dateOrder?: DateOrder | undefined;
}
export type RowVerdict<T> = { ok: true; value: T; flags: Flag[] } | { ok: false; reason: string };
export interface Who {
  customerId?: string;
  /** valid, cleaned */
  email?: string;
  /** E.164 */
  phone?: string;
}

const cell = (fields: string[], i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());

/**
 * Who a row is about, cleaned as ingest cleans traits. `traits` receives email/phone/country as cleaned;
 * only a valid email and a normalizable phone can identify a person.
 */
export function whoOf(fields: string[], m: Mapping, opts: RowOptions, traits: Record<string, unknown>, flags: Flag[]): Who {
  const email = cell(fields, m.email);
  const phone = cell(fields, m.phone);
  const country = cell(fields, m.country);
  if (email) traits.email = email;
  if (phone) traits.phone = phone;
  if (country) traits.country = country;
  // cleanTraits reads the country from the traits, then from the locale's region: the --country default.
  cleanTraits(traits, 'traits', flags, opts.country ? `und-${opts.country}` : undefined);
  const who: Who = {};
  const id = cell(fields, m.customer_id);
  if (id) who.customerId = id;
  if (typeof traits.email === 'string' && cleanEmail(traits.email).valid) who.email = traits.email;
  if (typeof traits.phone === 'string' && traits.phone.startsWith('+')) who.phone = traits.phone;
  return who;
}

export interface CustomerRow extends Who {
  line: number;
  traits: Record<string, string>;
}

/** One customers row: traits in the Segment spec's names (firstName, lastName, name, email, phone, birthday). */
export function customerRow(line: number, fields: string[], m: Mapping, extra: { index: number; trait: string }[], opts: RowOptions): RowVerdict<CustomerRow> {
  const traits: Record<string, unknown> = {};
  const flags: Flag[] = [];
  for (const [field, trait] of [['first_name', 'firstName'], ['last_name', 'lastName'], ['name', 'name']] as const) {
    const v = cell(fields, m[field]);
    if (v) traits[trait] = v;
  }
  const birthday = cell(fields, m.birthday);
  if (birthday) {
    const d = parseDate(birthday, opts.dateOrder);
    if (!d.ok) return { ok: false, reason: `birthday: ${d.reason}` };
    traits.birthday = d.value.date;
  }
  for (const { index, trait } of extra) {
    const v = cell(fields, index);
    if (v && !Object.hasOwn(traits, trait)) traits[trait] = v; // own keys: a column called "constructor" is data
  }
  const who = whoOf(fields, m, opts, traits, flags);
  if (!who.customerId && !who.email && !who.phone) {
    const why = traits.email || traits.phone ? ` (${[traits.email && `email "${traits.email}" is invalid`, traits.phone && `phone "${traits.phone}" cannot be read${opts.country ? '' : ' (pass --country)'}`].filter(Boolean).join(', ')})` : '';
    return { ok: false, reason: `no customer id, valid email or phone to tell who this is${why}` };
  }
  return { ok: true, value: { line, ...who, traits: traits as Record<string, string> }, flags };
}

/** Union-find over row indexes, keyed by customer id, email and phone. */
export class PeopleMerger {
  private rows: CustomerRow[] = [];
  private parent: number[] = [];
  private byKey = new Map<string, number>();

  private find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!; // path halving keeps the trees flat
      i = this.parent[i]!;
    }
    return i;
  }
  private union(a: number, b: number) {
    const [ra, rb] = [this.find(a), this.find(b)];
    // The earlier row stays the root: a person's first row decides the order people are sent in.
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  add(row: CustomerRow) {
    const i = this.rows.length;
    this.rows.push(row);
    this.parent.push(i);
    for (const key of [row.customerId && `i:${row.customerId}`, row.email && `e:${row.email}`, row.phone && `p:${row.phone}`]) {
      if (!key) continue;
      const j = this.byKey.get(key);
      if (j === undefined) this.byKey.set(key, i);
      else this.union(i, j);
    }
  }

  get rowCount() {
    return this.rows.length;
  }

  /** The people, each with its rows in file order. Consumes the merger. */
  *people(): Generator<CustomerRow[]> {
    const groups = new Map<number, CustomerRow[]>();
    this.rows.forEach((r, i) => {
      const root = this.find(i);
      const g = groups.get(root);
      if (g) g.push(r);
      else groups.set(root, [r]);
    });
    this.rows = [];
    this.byKey.clear();
    yield* groups.values();
  }
}

export interface Outgoing {
  event: Record<string, unknown>;
  /** the first line of the rows it came from, and how many rows */
  line: number;
  rows: number;
}

/**
 * The events for one person: an identify, and an alias for each id the identify cannot carry — another
 * customer id of the same person, or an email that the Worker would otherwise not link (hashed emails,
 * or an earlier address of someone whose latest is in the traits).
 */
export async function personEvents(rows: CustomerRow[], opts: { hashEmails: boolean; linkPhones?: boolean; library: { name: string; version: string } }): Promise<Outgoing[]> {
  const traits: Record<string, string> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r.traits)) if (v !== '') traits[k] = v;
  const ids = [...new Set(rows.map((r) => r.customerId).filter((x): x is string => !!x))];
  const emails = [...new Set(rows.map((r) => r.email).filter((x): x is string => !!x))];
  const phones = [...new Set(rows.map((r) => r.phone).filter((x): x is string => !!x))];
  // Phones are linked only when asked (--link-phones): each link is one more profile writer at the edge, and
  // only orders that know a customer by phone alone need it. A phone that is the person's own key needs none.
  const byPhone = !ids.length && !emails.length;
  const phoneLinks = opts.linkPhones ? phones.slice(byPhone ? 1 : 0) : [];
  // Each address and phone is hashed once, all at once (WebCrypto answers asynchronously).
  const [emailIds, phoneIds] = await Promise.all([Promise.all(emails.map(emailUserId)), Promise.all(phoneLinks.map(hashedId))]);
  const userId = ids[0] ?? emailIds[0] ?? (await hashedId(phones[0]!));
  if (opts.hashEmails) delete traits.email;
  // The identify's own email the Worker links by itself: no alias for it.
  const ownEmail = traits.email && cleanEmail(traits.email).valid ? (emailIds[emails.indexOf(traits.email)] ?? (await emailUserId(traits.email))) : undefined;
  const context = { library: opts.library };
  const line = rows[0]!.line;
  const linked = new Set([userId, ...(ownEmail ? [ownEmail] : [])]);
  const aliases: string[] = [];
  for (const previousId of [...ids.slice(1), ...emailIds, ...phoneIds]) {
    if (linked.has(previousId)) continue;
    linked.add(previousId);
    aliases.push(previousId);
  }
  const [messageId, ...aliasIds] = await Promise.all([customerMessageId(userId, traits), ...aliases.map((previousId) => aliasMessageId(previousId, userId))]);
  return [
    { event: { type: 'identify', messageId, userId, traits, context }, line, rows: rows.length },
    ...aliases.map((previousId, i) => ({ event: { type: 'alias', messageId: aliasIds[i], previousId, userId, context }, line, rows: 0 })),
  ];
}
