// GET /v1/config/versions, GET /v1/config/versions/:version, its diff against another version, and restoring it
// (a NEW version with that config; the old one stays as it was).
import { Hono } from 'hono';
import { requireRole } from '../admin/auth.js';
import type { AppEnv } from '../app-env.js';
import { fail } from '../http/errors.js';
import { diffConfigs } from './diff.js';
import { ensureSeedVersion, publish } from './publish.js';
import { parseIfMatch } from './publish-headers.js';
import type { ConfigStore } from './store.js';
import { getVersion, listVersions } from './versions-store.js';

/** A version number from the path or the query, or a 400 naming where it was. */
export function versionNumber(value: string | undefined, where: string): number {
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value)) fail(400, `${where} ${JSON.stringify((value ?? '').slice(0, 40))} is not a version: expected 1, 2, 3…`);
  return Number(value);
}

const MAX_LIMIT = 200;
const RESTORE_BYTES = 4096;

export function versionRoutes(store: ConfigStore) {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('viewer'), async (c) => {
    await ensureSeedVersion(c, store);
    const limit = c.req.query('limit') === undefined ? 50 : versionNumber(c.req.query('limit'), '?limit');
    if (limit > MAX_LIMIT) fail(400, `?limit ${limit} is over ${MAX_LIMIT}: page with ?before=<the last version shown>`);
    const before = c.req.query('before') === undefined ? undefined : versionNumber(c.req.query('before'), '?before');
    return c.json({ versions: await listVersions(c.env.EVENTS, limit, before) });
  });

  const found = async (db: D1Database, version: number) => {
    const v = await getVersion(db, version);
    if (!v) fail(404, `there is no config version ${version}: GET /v1/config/versions lists them`);
    return v;
  };

  app.get('/:version', requireRole('viewer'), async (c) => {
    await ensureSeedVersion(c, store);
    return c.json(await found(c.env.EVENTS, versionNumber(c.req.param('version'), 'version')));
  });

  // The changes from ?against (default: the version before) to :version.
  app.get('/:version/diff', requireRole('viewer'), async (c) => {
    await ensureSeedVersion(c, store);
    const to = versionNumber(c.req.param('version'), 'version');
    const against = c.req.query('against');
    const from = against === undefined ? to - 1 : versionNumber(against, '?against');
    if (from < 1) fail(400, `version ${to} is the first: name another with ?against=<version>`);
    const [a, b] = await Promise.all([found(c.env.EVENTS, from), found(c.env.EVENTS, to)]);
    return c.json({ from, to, changes: diffConfigs(a.config, b.config) });
  });

  app.post('/:version/restore', requireRole('publisher'), async (c) => {
    // An oversize body is refused before anything else is looked at, as on every route that takes one.
    const length = Number(c.req.header('content-length'));
    if (length > RESTORE_BYTES) fail(413, `the body (${length} bytes) is over the limit of ${RESTORE_BYTES} bytes for a restore: send {"comment": "why"} or nothing`);
    const body = await c.req.text();
    if (body.length > RESTORE_BYTES) fail(413, `the body is over the limit of ${RESTORE_BYTES} bytes for a restore: send {"comment": "why"} or nothing`);
    const ifMatch = parseIfMatch(c.req.header('if-match'));
    if (!ifMatch.ok) fail(412, ifMatch.error);
    await ensureSeedVersion(c, store);
    const version = versionNumber(c.req.param('version'), 'version');
    const old = await found(c.env.EVENTS, version);
    let comment = `restore of version ${version}`;
    if (body.trim()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        fail(400, 'the body is not JSON: send {"comment": "why"} or nothing');
      }
      const given = (parsed as { comment?: unknown } | null)?.comment;
      if (given !== undefined && (typeof given !== 'string' || given.length > 500)) fail(400, 'comment: expected text of at most 500 characters');
      if (typeof given === 'string' && given.trim()) comment = given.trim();
    }
    return publish(c, store, { input: old.config, expected: ifMatch.version, comment, restoredFrom: version });
  });

  return app;
}
