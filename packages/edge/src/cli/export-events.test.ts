import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveFile, ArchiveListing } from '../contract/archive-export.js';
import { exportCommand, localPath, parseExportArgs, upToDate } from './export-events.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const bytesOf = (s: string) => new TextEncoder().encode(s);

/** The archive routes of a Worker, in memory: files by key, each optionally served filtered. */
function fakeWorker(site = 'demo', token = 'dev-admin') {
  const files = new Map<string, { bytes: Uint8Array<ArrayBuffer>; filtered?: Uint8Array<ArrayBuffer>; gone?: boolean }>();
  const requests: string[] = [];
  const put = (day: string, name: string, text: string, filtered?: string) =>
    files.set(`events/site=${site}/day=${day}/${name}`, { bytes: bytesOf(text), ...(filtered !== undefined ? { filtered: bytesOf(filtered) } : {}) });
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const serve = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}${url.search}`);
    if (new Headers(init?.headers).get('authorization') !== `Bearer ${token}`) return json({ success: false, error: 'wrong admin token' }, 401);
    if (url.pathname === '/v1/archive/events') {
      const since = url.searchParams.get('since')!;
      const until = url.searchParams.get('until');
      const days = new Map<string, ArchiveFile[]>();
      for (const [key, f] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const [, , dayPart, name] = key.split('/') as [string, string, string, string];
        const day = dayPart.slice(4);
        if (day < since || (until && day > until)) continue;
        days.set(day, [...(days.get(day) ?? []), { name, key, size: f.bytes.length, etag: md5(f.bytes), uploaded: '2026-03-05T00:00:00.000Z', filtered: !!f.filtered }]);
      }
      return json({ site, since, until, days: [...days].map(([day, fs]) => ({ day, files: fs, bytes: fs.reduce((n, f) => n + f.size, 0), rows: null })) } satisfies ArchiveListing);
    }
    const m = /^\/v1\/archive\/events\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const key = m && `events/site=${site}/day=${m[1]}/${decodeURIComponent(m[2]!)}`;
    const f = key ? files.get(key) : undefined;
    if (!f || f.gone) return json({ success: false, error: `file: no "${m?.[2]}" on ${m?.[1]}` }, 404);
    return new Response(f.filtered ?? f.bytes, { headers: { 'x-attune-archive': f.filtered ? 'filtered' : 'stored' } });
  }) as typeof globalThis.fetch;
  return { files, put, fetch: serve, requests, downloads: () => requests.filter((r) => !r.startsWith('/v1/archive/events?')).length };
}

/** A fake Worker serving these files. */
function fakeWorkerWith(files: ReturnType<typeof fakeWorker>['files']) {
  const w = fakeWorker();
  for (const [k, v] of files) w.files.set(k, v);
  return w;
}

async function run(worker: ReturnType<typeof fakeWorker>, ...args: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await exportCommand(['events', '--to', 'http://worker.test/', ...args], (s) => lines.push(s), (s) => errors.push(s), { fetch: worker.fetch });
  return { code, lines, errors: errors.join('\n') };
}

const tree = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.parquet')).sort();

describe('parseExportArgs', () => {
  it('needs --to, --since and --out, and says what is wrong', () => {
    expect(parseExportArgs(['events', '--since', '2026-03-01', '--out', 'x'])).toMatch(/^--to is required\nusage: attune export events/);
    expect(parseExportArgs(['events', '--to', 'http://w', '--since', '2026-02-30', '--out', 'x'])).toBe('--since 2026-02-30: expected a day YYYY-MM-DD');
    expect(parseExportArgs(['events', '--to', 'http://w', '--since', '2026-03-02', '--until', '2026-03-01', '--out', 'x'])).toBe('--until 2026-03-01 is before --since 2026-03-02');
    expect(parseExportArgs(['events', '--to', 'worker', '--since', '2026-03-01', '--out', 'x'])).toMatch(/^--to worker: expected the Worker's URL/);
    expect(parseExportArgs(['events', '--to', 'http://w', '--since', '--out', 'x'])).toMatch(/^--since needs a value/);
    expect(parseExportArgs(['events', '--to', 'http://w', '--since', '2026-03-01', '--out', 'x', '--gzip'])).toMatch(/^unknown option "--gzip"/);
    expect(parseExportArgs(['profiles'])).toMatch(/^what to export\?/);
  });

  it('takes the token from --token, else ATTUNE_ADMIN_TOKEN, else the local stack’s dev-admin', () => {
    const base = ['events', '--to', 'http://w/', '--since', '2026-03-01', '--out', 'x'];
    expect(parseExportArgs([...base, '--token', 't'], { ATTUNE_ADMIN_TOKEN: 'env' })).toMatchObject({ token: 't', to: 'http://w' });
    expect(parseExportArgs(base, { ATTUNE_ADMIN_TOKEN: 'env' })).toMatchObject({ token: 'env' });
    expect(parseExportArgs(base, {})).toMatchObject({ token: 'dev-admin', until: undefined });
  });
});

describe('localPath and upToDate', () => {
  const f = (key: string, name: string): ArchiveFile => ({ key, name, size: 1, etag: 'x', uploaded: '', filtered: false });
  it('keeps every write inside the output directory, in the layout', () => {
    expect(localPath('/o', 'a/b', '2026-03-04', f('events/site=a%2Fb/day=2026-03-04/part-1.parquet', 'part-1.parquet'))).toBe('/o/events/site=a%2Fb/day=2026-03-04/part-1.parquet');
    for (const [key, name] of [
      ['events/site=demo/day=2026-03-04/../../../etc.parquet', 'etc.parquet'],
      ['events/site=other/day=2026-03-04/part-1.parquet', 'part-1.parquet'],
      ['events/site=demo/day=2026-03-05/part-1.parquet', 'part-1.parquet'],
      ['events/site=demo/day=2026-03-04/part-1.parquet', 'part-2.parquet'],
    ])
      expect(() => localPath('/o', 'demo', '2026-03-04', f(key!, name!)), key).toThrow(/not a file of the archive's layout/);
  });

  it('counts a copy as current only with the listed size and MD5, and never a filtered file', () => {
    const file: ArchiveFile = { key: 'k', name: 'n.parquet', size: 3, etag: md5(bytesOf('abc')), uploaded: '', filtered: false };
    expect(upToDate({ size: 3, md5: md5(bytesOf('abc')) }, file)).toBe(true);
    expect(upToDate({ size: 3, md5: md5(bytesOf('abd')) }, file)).toBe(false);
    expect(upToDate({ size: 4, md5: md5(bytesOf('abc')) }, file)).toBe(false);
    expect(upToDate(null, file)).toBe(false);
    expect(upToDate({ size: 3, md5: md5(bytesOf('abc')) }, { ...file, filtered: true })).toBe(false);
    expect(upToDate({ size: 3, md5: 'whatever' }, { ...file, etag: 'multipart-3' })).toBe(true); // not an MD5: size only
  });
});

describe('attune export events', () => {
  it('writes the Hive layout with a line per day, resumes by skipping what is here, and mirrors compaction', async () => {
    const w = fakeWorker();
    w.put('2026-03-04', 'part-a.parquet', 'AAAA');
    w.put('2026-03-04', 'part-b.parquet', 'BBBBBB');
    w.put('2026-03-05', 'part-c.parquet', 'C');
    w.put('2026-03-06', 'part-d.parquet', 'D'); // after --until
    const out = mkdtempSync(join(tmpdir(), 'attune-export-'));
    const first = await run(w, '--since', '2026-03-04', '--until', '2026-03-05', '--out', out);
    expect(first.errors).toBe('');
    expect(first.code).toBe(0);
    expect(first.lines.slice(0, 2)).toEqual(['2026-03-04  2 files  10 bytes  2 downloaded, 0 skipped', '2026-03-05  1 file  1 byte  1 downloaded, 0 skipped']);
    expect(first.lines[2]).toMatch(/^✓ site "demo", 2026-03-04 to 2026-03-05: 2 days, 3 files, 11 bytes \(3 downloaded, 0 skipped, 0 removed\) in \d+\.\d s → .*events\/site=demo$/);
    expect(tree(out)).toEqual(['events/site=demo/day=2026-03-04/part-a.parquet', 'events/site=demo/day=2026-03-04/part-b.parquet', 'events/site=demo/day=2026-03-05/part-c.parquet']);
    expect(readFileSync(join(out, 'events/site=demo/day=2026-03-04/part-b.parquet'), 'utf8')).toBe('BBBBBB');

    const before = w.downloads();
    const again = await run(w, '--since', '2026-03-04', '--until', '2026-03-05', '--out', out);
    expect(again.lines.slice(0, 2)).toEqual(['2026-03-04  2 files  10 bytes  skipped (all 2 up to date)', '2026-03-05  1 file  1 byte  skipped (all 1 up to date)']);
    expect(w.downloads()).toBe(before);

    // A compaction replaced the day's parts; a local copy was damaged (same size); a download was cut off.
    w.files.delete('events/site=demo/day=2026-03-04/part-a.parquet');
    w.files.delete('events/site=demo/day=2026-03-04/part-b.parquet');
    w.put('2026-03-04', 'compact-0123456789abcdef.parquet', 'AAAABBBBBB');
    writeFileSync(join(out, 'events/site=demo/day=2026-03-05/part-c.parquet'), 'X');
    writeFileSync(join(out, 'events/site=demo/day=2026-03-04/compact-0123456789abcdef.parquet.download'), 'AAAA');
    const third = await run(w, '--since', '2026-03-04', '--until', '2026-03-05', '--out', out);
    expect(third.lines.slice(0, 2)).toEqual([
      '2026-03-04  1 file  10 bytes  1 downloaded, 0 skipped, 2 removed (no longer on the server)',
      '2026-03-05  1 file  1 byte  1 downloaded, 0 skipped',
    ]);
    expect(tree(out)).toEqual(['events/site=demo/day=2026-03-04/compact-0123456789abcdef.parquet', 'events/site=demo/day=2026-03-05/part-c.parquet']);
    expect(readFileSync(join(out, 'events/site=demo/day=2026-03-05/part-c.parquet'), 'utf8')).toBe('C');

    // Retention purged a day: its local copy goes too (only days inside the range asked are touched).
    w.files.delete('events/site=demo/day=2026-03-05/part-c.parquet');
    const fourth = await run(w, '--since', '2026-03-05', '--out', out);
    expect(fourth.lines.at(-1)).toMatch(/: 1 day, 1 file, 1 byte \(1 downloaded, 0 skipped, 1 removed\)/);
    expect(tree(out)).toEqual(['events/site=demo/day=2026-03-04/compact-0123456789abcdef.parquet', 'events/site=demo/day=2026-03-06/part-d.parquet']);
  });

  it('downloads a filtered file (an erased person left out) again on every run, replacing the copy that held them', async () => {
    const w = fakeWorker();
    w.put('2026-03-04', 'part-a.parquet', 'with-them');
    const out = mkdtempSync(join(tmpdir(), 'attune-export-'));
    await run(w, '--since', '2026-03-04', '--out', out);
    w.put('2026-03-04', 'part-a.parquet', 'with-them', 'without');
    for (let i = 0; i < 2; i++) {
      const r = await run(w, '--since', '2026-03-04', '--out', out);
      expect(r.lines[0]).toBe('2026-03-04  1 file  7 bytes  1 downloaded, 0 skipped');
      expect(readFileSync(join(out, 'events/site=demo/day=2026-03-04/part-a.parquet'), 'utf8')).toBe('without');
    }
  });

  it('lists a day again once when its files changed during the export (a compaction ran)', async () => {
    const w = fakeWorker();
    w.put('2026-03-04', 'part-a.parquet', 'AAAA');
    const real = w.fetch;
    let listed = 0;
    w.fetch = (async (input: string, init?: RequestInit) => {
      const res = await real(input, init);
      // Right after the first listing, the part is compacted away.
      if (String(input).includes('/v1/archive/events?') && listed++ === 0) {
        w.files.delete('events/site=demo/day=2026-03-04/part-a.parquet');
        w.put('2026-03-04', 'compact-00112233445566778899aabbccddeeff.parquet', 'AAAA');
      }
      return res;
    }) as typeof fetch;
    const out = mkdtempSync(join(tmpdir(), 'attune-export-'));
    const r = await run(w, '--since', '2026-03-04', '--out', out);
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
    expect(w.requests.filter((q) => q.startsWith('/v1/archive/events?'))).toEqual(['/v1/archive/events?since=2026-03-04', '/v1/archive/events?since=2026-03-04&until=2026-03-04&site=demo']);
    expect(tree(out)).toEqual(['events/site=demo/day=2026-03-04/compact-00112233445566778899aabbccddeeff.parquet']);
  });

  it('exits 1 naming the HTTP error, the unreachable Worker, or a listing that would write outside the directory', async () => {
    const out = mkdtempSync(join(tmpdir(), 'attune-export-'));
    const w = fakeWorker('demo', 'the-token');
    const denied = await run(w, '--since', '2026-03-04', '--out', out, '--token', 'wrong');
    expect(denied.code).toBe(1);
    expect(denied.errors).toBe('✗ GET http://worker.test/v1/archive/events?since=2026-03-04 answered 401: wrong admin token (the admin token: --token or ATTUNE_ADMIN_TOKEN)');

    const down = await exportCommand(['events', '--to', 'http://worker.test', '--since', '2026-03-04', '--out', out], () => {}, (s) => expect(s).toMatch(/^✗ cannot reach http:\/\/worker\.test\/v1\/archive\/events\?since=2026-03-04: refused \(is the Worker running\?/), {
      fetch: (async () => {
        throw new Error('refused');
      }) as typeof fetch,
    });
    expect(down).toBe(1);

    // A listing whose key leaves the layout is refused before anything is written.
    const evil = fakeWorker();
    const key = 'events/site=demo/day=2026-03-04/../../../../escape.parquet';
    const listing: ArchiveListing = { site: 'demo', since: '2026-03-04', until: null, days: [{ day: '2026-03-04', bytes: 1, rows: null, files: [{ name: 'escape.parquet', key, size: 1, etag: 'x', uploaded: '', filtered: false }] }] };
    evil.fetch = (async () => new Response(JSON.stringify(listing))) as typeof fetch;
    const r = await run(evil, '--since', '2026-03-04', '--out', out);
    expect(r.code).toBe(1);
    expect(r.errors).toBe(`✗ attune export: the server listed "${key}" under 2026-03-04 of site "demo": not a file of the archive's layout; nothing written for it`);
    expect(existsSync(join(out, '..', 'escape.parquet'))).toBe(false);
    // …and one whose file name is a path, by the listing's schema.
    evil.files.set('events/site=demo/day=2026-03-04/../x.parquet', { bytes: bytesOf('x') });
    const named = await run(fakeWorkerWith(evil.files), '--since', '2026-03-04', '--out', out);
    expect(named.errors).toMatch(/did not answer an archive listing: Invalid string: must match pattern/);

    const changed = fakeWorker();
    changed.put('2026-03-04', 'part-a.parquet', 'AAAA');
    const real = changed.fetch;
    // The server sends other bytes than it listed, every time: the copy is refused, not kept.
    changed.fetch = (async (input: string, init?: RequestInit) =>
      String(input).includes('part-a') ? new Response('BBBBB', { headers: { 'x-attune-archive': 'stored' } }) : real(input, init)) as typeof fetch;
    const bad = await run(changed, '--since', '2026-03-04', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.errors).toMatch(/part-a\.parquet: got 5 bytes .*the listing said 4 .*run the command again$/);
    expect(tree(out)).toEqual([]);
  });
});
