// `attune import customers|orders <file.csv> [--to <url> --write-key <key>] [options]`: the I/O around the
// pure pieces — reads the file as a stream (constant memory for the rows; the people and orders being
// gathered are the only state), maps, cleans and merges rows, sends the events, prints the summary.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Flag } from '../ingest/clean.js';
import { CsvReader, DELIMITERS, type CsvRecord, type Delimiter } from './import-csv.js';
import { customerRow, PeopleMerger, personEvents, type Outgoing, type RowOptions } from './import-customers.js';
import { FIELDS, overridesFrom, resolveMapping, type Kind, type MappingResult } from './import-mapping.js';
import { OrderBook, orderLine } from './import-orders.js';
import { Progress, summary, type ProgressSink } from './import-report.js';
import { sendAll, type SendResult } from './import-send.js';

type Out = (s: string) => void;
const LIBRARY = { name: 'attune-import', version: '0.1.0' };
/** People whose ids are hashed at once. */
const PARALLEL = 64;

export const IMPORT_HELP = `  import customers <file.csv> identify people from a CRM or loyalty export (merged by customer id, email, phone)
  import orders <file.csv>    send offline orders as Order Completed (lines gathered by order id)
      --to <url> --write-key <key>   send to a running Worker with the site's SERVER key (secret; demo-server on the
                                     local stack), whose user ids and emails link profiles (without --to: check only)
      --map field=column, --mapping <file.json>   override the column mapping (fields: ${Object.keys(FIELDS).join(', ')})
      --country <XX>   read national phone numbers in this country   --currency <XXX>   when the file has none
      --date-order dmy|mdy   for dates like 03/04/2026   --delimiter , | ; | tab   (detected from the header otherwise)
      --hash-emails   keep emails out of the traits (people are still keyed and linked by the email's SHA-256)
      --link-phones   customers: also link each phone number, for orders files that know people by phone alone
      --concurrency <n> (4)   --batch-size <n> (100; up to 500)`;

export interface ImportDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** where the progress display goes (stderr in the CLI) */
  progress?: ProgressSink;
  now?: () => number;
}

interface Options extends RowOptions {
  kind: Kind;
  file: string;
  to?: string | undefined;
  writeKey?: string | undefined;
  currency?: string | undefined;
  delimiter?: Delimiter | undefined;
  hashEmails: boolean;
  linkPhones: boolean;
  concurrency: number;
  batchEvents: number;
  maps: string[];
  mappingFile?: string | undefined;
}

const VALUE_FLAGS = new Set(['--to', '--write-key', '--map', '--mapping', '--country', '--currency', '--date-order', '--delimiter', '--concurrency', '--batch-size']);

/** Parses the command line; a string is a usage error. */
export function parseArgs(args: string[]): Options | string {
  const [kind, file, ...rest] = args;
  if (kind !== 'customers' && kind !== 'orders') return `which import? attune import customers <file.csv> or attune import orders <file.csv>`;
  if (!file || file.startsWith('--')) return `attune import ${kind}: which file? e.g. attune import ${kind} ${kind}.csv --to http://localhost:8787 --write-key demo-server`;
  const o: Options = { kind, file, hashEmails: false, linkPhones: false, concurrency: 4, batchEvents: 100, maps: [], writeKey: process.env.ATTUNE_SERVER_KEY ?? process.env.ATTUNE_WRITE_KEY };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (flag === '--hash-emails' || flag === '--link-phones') {
      if (flag === '--hash-emails') o.hashEmails = true;
      else o.linkPhones = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) return `unknown option ${flag}`;
    const v = rest[++i];
    if (v === undefined) return `${flag} needs a value`;
    if (flag === '--to') o.to = v;
    else if (flag === '--write-key') o.writeKey = v;
    else if (flag === '--map') o.maps.push(v);
    else if (flag === '--mapping') o.mappingFile = v;
    else if (flag === '--country') {
      if (!/^[a-z]{2}$/i.test(v)) return `--country ${v}: expected two letters, e.g. --country DE`;
      o.country = v.toUpperCase();
    } else if (flag === '--currency') {
      if (!/^[a-z]{3}$/i.test(v)) return `--currency ${v}: expected a three-letter code, e.g. --currency EUR`;
      o.currency = v.toUpperCase();
    } else if (flag === '--date-order') {
      if (v !== 'dmy' && v !== 'mdy') return `--date-order ${v}: expected dmy or mdy`;
      o.dateOrder = v;
    } else if (flag === '--delimiter') {
      const d = v === 'tab' || v === '\\t' ? '\t' : v;
      if (!(DELIMITERS as readonly string[]).includes(d)) return `--delimiter ${v}: expected , ; or tab`;
      o.delimiter = d as Delimiter;
    } else {
      const num = Number(v);
      const max = flag === '--batch-size' ? 500 : 32;
      if (!Number.isInteger(num) || num < 1 || num > max) return `${flag} ${v}: expected a whole number from 1 to ${max}`;
      if (flag === '--batch-size') o.batchEvents = num;
      else o.concurrency = num;
    }
  }
  if (o.to && !o.writeKey) return `--to needs the site's server key: --write-key <key> (or ATTUNE_SERVER_KEY), e.g. --write-key demo-server for the local stack`;
  return o;
}

/** A file that cannot be imported at all: one message, nothing sent. */
class Unreadable extends Error {}

/** Yields the file's records, checking first that it is a readable text file. */
async function* records(file: string, reader: CsvReader, onBytes: (read: number, size: number) => void): AsyncGenerator<CsvRecord> {
  let size: number;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new Unreadable(`${file} is a directory, not a CSV file`);
    size = s.size;
  } catch (e) {
    if (e instanceof Unreadable) throw e;
    throw new Unreadable(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size === 0) throw new Unreadable(`${file} is empty`);
  let read = 0;
  let first = true;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (chunk[0] === 0x50 && chunk[1] === 0x4b && chunk[2] === 0x03 && chunk[3] === 0x04)
          throw new Unreadable(`${file} is a zip archive (an Excel workbook?), not CSV: export it as "CSV UTF-8" and import that`);
        const nul = chunk.subarray(0, 8192).indexOf(0);
        if (nul >= 0) throw new Unreadable(`${file} is a binary file (a NUL byte at offset ${nul}), not CSV${chunk[1] === 0 || chunk[0] === 0xff ? ': UTF-16? save it as UTF-8' : ''}`);
      }
      read += chunk.length;
      yield* reader.push(chunk);
      onBytes(read, size);
    }
  } catch (e) {
    if (e instanceof Unreadable) throw e;
    throw new Unreadable(`cannot read ${file}: ${(e as Error).message}`);
  }
  yield* reader.end();
}

export async function importCommand(args: string[], out: Out, err: Out, deps: ImportDeps = {}): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') return err(`attune import: ${parsed}\n\n${IMPORT_HELP}`), 2;
  const o: Options = parsed;
  let mappingJson: unknown;
  if (o.mappingFile) {
    try {
      mappingJson = JSON.parse(await readFile(o.mappingFile, 'utf8'));
    } catch (e) {
      return err(`attune import: --mapping ${o.mappingFile}: ${(e as Error).message}`), 2;
    }
  }
  const ov = overridesFrom(o.maps, mappingJson);
  if (!ov.ok) return err(`attune import: ${ov.message}`), 2;

  const now = deps.now ?? Date.now;
  const progress = new Progress(deps.progress ?? { write: () => {} }, now);
  const started = now();
  const rejected: { line: number; reason: string }[] = [];
  const flags = new Map<string, number>();
  const addFlags = (fs: Flag[]) => fs.forEach((f) => flags.set(f.issue, (flags.get(f.issue) ?? 0) + 1));
  const people = new PeopleMerger();
  const book = new OrderBook();
  let header: string[] | undefined;
  let mapping: Extract<MappingResult, { ok: true }> | undefined;
  let rowsRead = 0;
  let accepted = 0;
  let fraction = 0;
  /** orders whose customer only a phone number tells: they reach a profile that was imported with --link-phones */
  const phoneOnlyOrders = new Set<string>();

  progress.begin('reading', 'rows');
  const reader = new CsvReader(o.delimiter);
  const named = (d: string | undefined) => (d === '\t' ? 'tab' : `"${d}"`);
  try {
    for await (const rec of records(o.file, reader, (read, size) => (fraction = read / size))) {
      if (!header) {
        if (rec.badEncoding) throw new Unreadable(`${o.file}: the header line is not valid UTF-8: save the file as UTF-8 and import again`);
        header = rec.fields;
        const other = DELIMITERS.find((d) => header!.length === 1 && header![0]!.includes(d));
        if (other) throw new Unreadable(`${o.file}: the header is one column, "${header[0]}", holding ${named(other)}: wrong delimiter? (leave out --delimiter to detect it, or pass --delimiter ${other === '\t' ? 'tab' : other})`);
        const m = resolveMapping(o.kind, header, ov.overrides);
        if (!m.ok) return progress.end(), err(`attune import ${o.kind}: ${o.file}: ${m.message}; nothing was sent`), 2;
        mapping = m;
        progress.note(`${o.file}: ${o.kind}, delimiter ${named(reader.delimiter)}${o.delimiter ? '' : ' (detected)'}; ${m.used.join(', ')}`);
        continue;
      }
      rowsRead++;
      if (rowsRead % 256 === 0) progress.update(rowsRead, fraction);
      const reject = (reason: string) => void rejected.push({ line: rec.line, reason });
      if (rec.badEncoding) {
        reject(`not valid UTF-8 (line ${rec.badEncoding.line}): the file is probably in another encoding`);
        continue;
      }
      if (rec.fields.length !== header.length) {
        reject(`has ${rec.fields.length} field${rec.fields.length === 1 ? '' : 's'}, the header has ${header.length}: a wrong delimiter, or an unquoted delimiter or quote inside a value?`);
        continue;
      }
      if (o.kind === 'customers') {
        const r = customerRow(rec.line, rec.fields, mapping!.mapping, mapping!.extra, o);
        if (!r.ok) reject(r.reason);
        else (people.add(r.value), addFlags(r.flags), accepted++);
      } else {
        const r = orderLine(rec.line, rec.fields, mapping!.mapping, o);
        const added = r.ok ? book.add(r.value) : r;
        if (!added.ok) reject(added.reason);
        else if (r.ok) (addFlags(r.flags), accepted++, r.value.by.kind === 'phone' && phoneOnlyOrders.add(r.value.orderId));
      }
    }
  } catch (e) {
    progress.end();
    if (e instanceof Unreadable) return err(`✗ ${e.message}; nothing was sent`), 1;
    throw e;
  }
  if (!header) return progress.end(), err(`✗ ${o.file} holds no rows; nothing was sent`), 1;
  progress.update(rowsRead, 1, true);
  const readMs = now() - started;

  // Everything is read: people and orders are complete, and the events can go.
  let revenue = 0;
  const groups = o.kind === 'customers' ? [...people.people()] : [];
  const total = o.kind === 'customers' ? groups.length : book.size;
  async function* events(): AsyncGenerator<Outgoing> {
    // People are hashed PARALLEL at a time: WebCrypto's digests run beside each other, one by one they wait in turn.
    const opts = { hashEmails: o.hashEmails, linkPhones: o.linkPhones, library: LIBRARY };
    if (o.kind === 'customers') for (let i = 0; i < groups.length; i += PARALLEL) for (const es of await Promise.all(groups.slice(i, i + PARALLEL).map((g) => personEvents(g, opts)))) yield* es;
    else for await (const e of book.events(LIBRARY, PARALLEL)) (revenue += e.revenue, yield e);
  }
  let send: SendResult = { sent: 0, acknowledged: 0, rejected: [], failed: [], retries: 0 };
  if (o.to) {
    progress.begin('sending', 'events');
    let estimate = total;
    send = await sendAll(events(), {
      url: o.to,
      writeKey: o.writeKey!,
      batchEvents: o.batchEvents,
      concurrency: o.concurrency,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      onProgress: (settled) => progress.update(settled, settled / Math.max((estimate = Math.max(estimate, settled)), 1)),
      onRetry: (status, ms, message) => progress.note(`  ${status === 429 ? 'rate limited (429)' : `edge answered ${message.slice(0, 160)}`}: retrying in ${(ms / 1000).toFixed(1)} s`),
    });
    progress.end();
  } else if (o.kind === 'orders') for await (const e of events()) void e; // still total the revenue for the summary
  const lost = send.rejected.filter((r) => r.unit).length + send.failed.reduce((a, f) => a + f.units, 0);
  const text = summary({
    kind: o.kind,
    file: o.file,
    rowsRead,
    rejected,
    flags,
    units: total,
    merged: accepted - total,
    ...(o.kind === 'orders' ? { revenue } : {}),
    readMs,
    totalMs: now() - started,
    send,
    landed: total - lost,
    dryRun: !o.to,
    ...(phoneOnlyOrders.size ? { notes: [`${phoneOnlyOrders.size.toLocaleString('en-US')} orders know their customer by phone alone: they join the customer's profile if customers were imported with --link-phones`] } : {}),
  });
  const problems = rejected.length || send.rejected.length || send.failed.length;
  (problems ? err : out)(text);
  return problems ? 1 : 0;
}
