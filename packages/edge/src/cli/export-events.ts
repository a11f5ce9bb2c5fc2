// `attune export events --to <url> --since <day> [--until <day>] --out <dir> [--site <id>] [--token <t>]`: downloads
// the shop's event archive (GET /v1/archive/events…, admin token) into the same Hive layout under <dir>, so DuckDB,
// Spark or ClickHouse read it as it is. Resumable: a file already here with the listed size and MD5 is skipped, a
// download goes to `<file>.download` and is renamed once complete. The directory mirrors the archive for the days
// asked: files the server no longer lists (compacted away, purged by retention) are removed, and a file whose day
// holds an erased person is downloaded again, so a re-export never keeps what an erasure took out.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { isDay, parseKey, sitePrefix } from '../archive/layout.js';
import { archiveListingSchema, isArchiveFileName, SERVED_HEADER, type ArchiveDay, type ArchiveFile, type ArchiveListing } from '../contract/archive-export.js';

type Out = (s: string) => void;

export const EXPORT_HELP = `  export events --to <url> --since <day> [--until <day>] --out <dir>
                             download the event archive as Parquet, events/site=<site>/day=<day>/*.parquet under <dir>
                             (a line per day; run again to resume: files already here are skipped)
      --site <id>   when the config has several sites   --token <t>   the admin token (else ATTUNE_ADMIN_TOKEN;
                    dev-admin on the local stack)`;

const USAGE = 'usage: attune export events --to <url> --since <YYYY-MM-DD> [--until <YYYY-MM-DD>] --out <dir> [--site <id>] [--token <token>]';

export interface ExportOptions {
  to: string;
  since: string;
  until?: string | undefined;
  out: string;
  site?: string | undefined;
  token: string;
}

const VALUE_FLAGS = new Set(['--to', '--since', '--until', '--out', '--site', '--token']);

/** Parses `events …`; a string is a usage error. Pure but for the token's environment fallback. */
export function parseExportArgs(args: string[], environment: Record<string, string | undefined> = process.env): ExportOptions | string {
  const [what, ...rest] = args;
  if (what !== 'events') return `what to export? attune export events …\n${USAGE}`;
  const v: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (!VALUE_FLAGS.has(flag)) return `unknown option ${JSON.stringify(flag)}\n${USAGE}`;
    const value = rest[++i];
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value\n${USAGE}`;
    v[flag] = value;
  }
  for (const need of ['--to', '--since', '--out']) if (!v[need]) return `${need} is required\n${USAGE}`;
  if (!/^https?:\/\/[^/]/.test(v['--to']!)) return `--to ${v['--to']}: expected the Worker's URL, e.g. http://localhost:8787`;
  for (const flag of ['--since', '--until']) if (v[flag] !== undefined && !isDay(v[flag]!)) return `${flag} ${v[flag]}: expected a day YYYY-MM-DD`;
  if (v['--until'] !== undefined && v['--until'] < v['--since']!) return `--until ${v['--until']} is before --since ${v['--since']}`;
  return {
    to: v['--to']!.replace(/\/+$/, ''),
    since: v['--since']!,
    until: v['--until'],
    out: v['--out']!,
    site: v['--site'],
    token: v['--token'] || environment.ATTUNE_ADMIN_TOKEN || 'dev-admin',
  };
}

/**
 * Where a listed file goes under <dir>: its key, checked to be the layout's (`events/site=<site>/day=<day>/<name>`)
 * for this site and day, so a listing can never make the command write outside <dir>. Pure.
 */
export function localPath(dir: string, site: string, day: string, f: ArchiveFile): string {
  const k = parseKey(f.key);
  if (!k || k.site !== site || k.day !== day || k.file !== f.name || !f.key.startsWith(sitePrefix(site)) || !isArchiveFileName(f.name))
    throw new Error(`the server listed ${JSON.stringify(f.key)} under ${day} of site ${JSON.stringify(site)}: not a file of the archive's layout; nothing written for it`);
  return join(dir, ...f.key.split('/'));
}

const MD5 = /^[0-9a-f]{32}$/;
/** Downloads under way at once. */
const PARALLEL = 4;

/** Whether a local copy is the listed file: same size and, where R2's etag is an MD5, same digest. Pure. */
export function upToDate(local: { size: number; md5: string } | null, f: ArchiveFile): boolean {
  if (!local || f.filtered || local.size !== f.size) return false;
  return !MD5.test(f.etag) || local.md5 === f.etag;
}

async function md5File(path: string): Promise<{ size: number; md5: string } | null> {
  try {
    const { size } = await stat(path);
    const hash = createHash('md5');
    await pipeline(createReadStream(path), hash);
    return { size, md5: hash.digest('hex') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** An HTTP failure the user must act on (the message says what); `vanished` is a file gone since the listing. */
class ExportError extends Error {
  constructor(
    message: string,
    readonly vanished = false,
  ) {
    super(message);
  }
}

async function request(fetchImpl: typeof fetch, url: string, token: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (e) {
    throw new ExportError(`cannot reach ${url}: ${(e as Error).message} (is the Worker running? npm start)`);
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  const hint = res.status === 401 || res.status === 403 ? ' (the admin token: --token or ATTUNE_ADMIN_TOKEN)' : '';
  throw new ExportError(`GET ${url} answered ${res.status}: ${body.error ?? res.statusText}${hint}`, res.status === 404 && !!body.error?.startsWith('file:'));
}

async function fetchListing(fetchImpl: typeof fetch, o: ExportOptions, since: string, until: string | undefined): Promise<ArchiveListing> {
  const q = new URLSearchParams({ since, ...(until ? { until } : {}), ...(o.site ? { site: o.site } : {}) });
  const url = `${o.to}/v1/archive/events?${q}`;
  const parsed = archiveListingSchema.safeParse(await (await request(fetchImpl, url, o.token)).json().catch(() => null));
  if (!parsed.success) throw new ExportError(`GET ${url} did not answer an archive listing: ${parsed.error.issues[0]?.message ?? 'not JSON'} (is --to the Worker?)`);
  return parsed.data;
}

/** Streams one file to `<path>.download`, checks it against the listing, then renames it into place. */
async function download(fetchImpl: typeof fetch, o: ExportOptions, site: string, day: string, f: ArchiveFile, path: string): Promise<void> {
  const url = `${o.to}/v1/archive/events/${day}/${encodeURIComponent(f.name)}?site=${encodeURIComponent(site)}`;
  const res = await request(fetchImpl, url, o.token);
  if (!res.body) throw new ExportError(`GET ${url} answered no body`);
  const temp = `${path}.download`;
  const hash = createHash('md5');
  let size = 0;
  await pipeline(
    Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const c of chunks) {
        hash.update(c);
        size += c.length;
        yield c;
      }
    },
    createWriteStream(temp),
  );
  const md5 = hash.digest('hex');
  // A stored file must be the listed one; a filtered one (an erased person left out) differs by design.
  if (res.headers.get(SERVED_HEADER) !== 'filtered' && (size !== f.size || (MD5.test(f.etag) && md5 !== f.etag))) {
    await rm(temp, { force: true });
    throw new ExportError(`${f.key}: got ${size} bytes (MD5 ${md5}), the listing said ${f.size} (etag ${f.etag}): it changed on the server meanwhile; run the command again`, true);
  }
  await rename(temp, path);
}

interface DayResult {
  files: number;
  bytes: number;
  downloaded: number;
  skipped: number;
  removed: number;
}

/** Removes the Parquet files (and unfinished downloads) of a local day directory that `keep` does not name. */
async function prune(dir: string, keep: ReadonlySet<string>): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    if (!(n.endsWith('.parquet') || n.endsWith('.parquet.download')) || keep.has(n)) continue;
    await rm(join(dir, n), { force: true });
    if (n.endsWith('.parquet')) removed++;
  }
  return removed;
}

async function exportDay(fetchImpl: typeof fetch, o: ExportOptions, site: string, d: ArchiveDay): Promise<DayResult> {
  const paths = d.files.map((f) => localPath(o.out, site, d.day, f));
  const dir = join(o.out, ...sitePrefix(site).split('/').filter(Boolean), `day=${d.day}`);
  await mkdir(dir, { recursive: true });
  const r: DayResult = { files: d.files.length, bytes: 0, downloaded: 0, skipped: 0, removed: 0 };
  // A few files at a time (a day of part files is hundreds of small ones); after a failure no new one starts, and
  // the failure is raised once every file under way has finished.
  let next = 0;
  let failed = false;
  const lanes = await Promise.allSettled(
    Array.from({ length: Math.min(PARALLEL, d.files.length) }, async () => {
      for (let i = next++; i < d.files.length && !failed; i = next++) {
        try {
          if (upToDate(await md5File(paths[i]!), d.files[i]!)) r.skipped++;
          else {
            await download(fetchImpl, o, site, d.day, d.files[i]!, paths[i]!);
            r.downloaded++;
          }
          const { size } = await stat(paths[i]!); // not `r.bytes += await …`: that reads r.bytes before the await
          r.bytes += size;
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    }),
  );
  const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failure) throw failure.reason;
  r.removed = await prune(dir, new Set(d.files.map((f) => f.name)));
  return r;
}

/** Local day directories of the site in [since, until] that the server no longer lists (retention): emptied. */
async function pruneUnlisted(o: ExportOptions, site: string, listed: ReadonlySet<string>): Promise<number> {
  const base = join(o.out, ...sitePrefix(site).split('/').filter(Boolean));
  let removed = 0;
  for (const n of await readdir(base).catch(() => [] as string[])) {
    const day = /^day=(\d{4}-\d{2}-\d{2})$/.exec(n)?.[1];
    if (!day || listed.has(day) || day < o.since || (o.until !== undefined && day > o.until)) continue;
    removed += await prune(join(base, n), new Set());
    await rmdir(join(base, n)).catch(() => {});
  }
  return removed;
}

const num = (n: number) => n.toLocaleString('en-US');
const count = (n: number, what: string) => `${num(n)} ${what}${n === 1 ? '' : 's'}`;

export async function exportCommand(args: string[], out: Out, err: Out, deps: { fetch?: typeof fetch; now?: () => number } = {}): Promise<number> {
  const o = parseExportArgs(args);
  if (typeof o === 'string') return err(`attune export: ${o}`), 2;
  const fetchImpl = deps.fetch ?? fetch;
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const total: DayResult = { files: 0, bytes: 0, downloaded: 0, skipped: 0, removed: 0 };
  try {
    const listing = await fetchListing(fetchImpl, o, o.since, o.until);
    const site = listing.site;
    for (let d of listing.days) {
      let r: DayResult;
      try {
        r = await exportDay(fetchImpl, o, site, d);
      } catch (e) {
        // A compaction replaced the day's files since the listing: list that day again, once.
        if (!(e instanceof ExportError && e.vanished)) throw e;
        d = (await fetchListing(fetchImpl, { ...o, site }, d.day, d.day)).days[0] ?? { ...d, files: [], bytes: 0, rows: 0 };
        r = await exportDay(fetchImpl, o, site, d);
      }
      for (const k of Object.keys(total) as (keyof DayResult)[]) total[k] += r[k];
      const what = r.downloaded ? `${r.downloaded} downloaded, ${r.skipped} skipped` : `skipped (all ${r.skipped} up to date)`;
      out(`${d.day}  ${count(r.files, 'file')}  ${count(r.bytes, 'byte')}  ${what}${r.removed ? `, ${r.removed} removed (no longer on the server)` : ''}`);
    }
    total.removed += await pruneUnlisted(o, site, new Set(listing.days.map((d) => d.day)));
    const range = `${o.since} to ${o.until ?? 'the last day'}`;
    const where = join(o.out, ...sitePrefix(site).split('/').filter(Boolean));
    if (!listing.days.length) out(`site ${JSON.stringify(site)}: nothing archived from ${range}`);
    out(
      `✓ site ${JSON.stringify(site)}, ${range}: ${count(listing.days.length, 'day')}, ${count(total.files, 'file')}, ${count(total.bytes, 'byte')} ` +
        `(${total.downloaded} downloaded, ${total.skipped} skipped, ${total.removed} removed) in ${((now() - started) / 1000).toFixed(1)} s → ${where}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ExportError) return err(`✗ ${e.message}`), 1;
    return err(`✗ attune export: ${(e as Error).message}`), 1;
  }
}
