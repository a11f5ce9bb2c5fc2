// The shop's own events, for `attune export events` or any HTTP client with the admin token:
// GET /v1/archive/events?since=&until=[&site=] lists the archive's days and files, GET /v1/archive/events/:day/:file
// downloads one Parquet file, without the rows of anyone erased (archive/export-files.ts). docs/archive.md.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { HIDDEN_HEADER, isArchiveFileName, SERVED_HEADER, type ArchiveListing } from '../contract/archive-export.js';
import type { SiteWithId } from '../contract/index.js';
import { exportFile, listExport } from '../archive/export-files.js';
import { isDay } from '../archive/layout.js';
import { PARQUET_TYPE } from '../archive/write.js';
import { fail } from '../http/errors.js';
import { requireRole } from './auth.js';

/** `?site=`, or the config's only site. */
function siteOf(sites: SiteWithId[], q: string | undefined): SiteWithId {
  if (!q && sites.length === 1) return sites[0]!;
  if (!q) fail(400, `site: missing query parameter, one of ${sites.map((s) => s.id).join(', ')}`);
  return sites.find((x) => x.id === q) ?? fail(404, `site: unknown site ${JSON.stringify(q)}`);
}

function dayParam(name: string, value: string | undefined, example: string): string {
  if (value === undefined || value === '') fail(400, `${name}: missing query parameter, a day YYYY-MM-DD (e.g. ?${name}=${example})`);
  if (!isDay(value)) fail(400, `${name}: expected a calendar day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

/** A path segment as the client sent it, percent-decoded once (the router's own value may be decoded twice). */
function segment(raw: string | undefined, what: string): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return fail(400, `${what}: not a valid percent-encoded path segment: ${JSON.stringify(raw)}`);
  }
}

export function archiveRoutes() {
  const app = new Hono<AppEnv>();
  // The owner only: a person's data and the whole event history are not a marketer's to read.
  app.use('*', requireRole('owner'));

  app.get('/events', async (c) => {
    const site = siteOf(c.var.config.sites, c.req.query('site'));
    const since = dayParam('since', c.req.query('since'), '2026-03-01');
    const until = c.req.query('until') ? dayParam('until', c.req.query('until'), '2026-03-31') : null;
    if (until !== null && until < since) fail(400, `until: ${until} is before since (${since})`);
    const days = await listExport(c.env.ARCHIVE, c.env.EVENTS, site.id, since, until);
    c.header('Cache-Control', 'no-store');
    return c.json({ site: site.id, since, until, days } satisfies ArchiveListing);
  });

  app.get('/events/:day/:file', async (c) => {
    const site = siteOf(c.var.config.sites, c.req.query('site'));
    const parts = new URL(c.req.url).pathname.split('/');
    const day = segment(parts.at(-2), 'day');
    const file = segment(parts.at(-1), 'file');
    if (!isDay(day)) fail(400, `day: expected a calendar day YYYY-MM-DD, got ${JSON.stringify(day)}`);
    if (!isArchiveFileName(file))
      fail(400, `file: expected a file name of the archive (letters, digits, . _ - %, ending .parquet; no "/" or ".."), got ${JSON.stringify(file)}`);
    const served = await exportFile(c.env.ARCHIVE, c.env.EVENTS, site.id, day, file);
    if (!served)
      fail(404, `file: no ${JSON.stringify(file)} on ${day} for site ${JSON.stringify(site.id)} (GET /v1/archive/events?since=${day}&until=${day} lists that day's files)`);
    const headers: Record<string, string> = {
      'Content-Type': PARQUET_TYPE,
      'Content-Disposition': `attachment; filename="${file}"`,
      'Cache-Control': 'no-store',
      [SERVED_HEADER]: served.kind,
    };
    if (served.kind === 'filtered') {
      headers[HIDDEN_HEADER] = String(served.hidden);
      headers['Content-Length'] = String(served.bytes.byteLength);
      return c.body(served.bytes, 200, headers);
    }
    headers.ETag = served.object.httpEtag;
    headers['Content-Length'] = String(served.object.size);
    return c.body(served.body, 200, headers);
  });
  return app;
}
