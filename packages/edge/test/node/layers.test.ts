// Layers that point one way: contract ← pure logic ← platform ← stores ← requests ← routes ← Worker.
// A module may import its own layer or a lower one, never a higher one; no file may sit in a
// circle (type-only imports count: a circle of types is still a tangle to read). ARCHITECTURE.md ("Layers")
// explains the table; change both together.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circles, importEdges, sourceFiles, type Edge } from './import-graph.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const src = resolve(here, '../../src');

/**
 * Lowest first. A path is a folder of src/ (`recs/`) or one file; the longest entry that matches wins, so a file
 * named here overrides its folder. Two kinds of module are placed by name whatever their folder (see layerOf): a
 * route module (`routes.ts`, `*-routes.ts`) is a route, a store (`store.ts`, `*-store.ts`) is a store.
 */
export const LAYERS: readonly { layer: string; paths: readonly string[] }[] = [
  // The shapes every package shares, and the hashes whose values are stored: they import nothing of ours above.
  { layer: 'contract', paths: ['contract/', 'hash/'] },
  // Pure functions over the contract: no bindings, no request. The webhook URL rule is triggers' but pure: the
  // config's checks run it too; ingest's cleaning is what the profile writer, the CLI and reports normalize with.
  { layer: 'pure', paths: ['stats/', 'segments/', 'experiments/', 'config/', 'catalog/', 'triggers/public-url.ts', 'ingest/clean.ts'] },
  // What every request shares: body, site and keys, CORS, rate limits, HMAC; who the admin is (token, session,
  // actor: admin/ sits this low so every route can guard itself with it); the Hono environment type; D1 schema-once.
  { layer: 'platform', paths: ['http/', 'admin/', 'app-env.ts', 'log/schema-once.ts'] },
  // State: KV, D1, R2, Durable Objects, the Queue, and the pure steps that belong to one store.
  // decide/ is here for its preview links (signed, listed in KV); the decision itself (decide.ts) is pure.
  { layer: 'stores', paths: ['profile/', 'log/', 'archive/', 'recs/', 'triggers/', 'ingest/', 'reports/', 'decide/', 'config/versions-schema.ts', 'admin/export.ts'] },
  // What a request does with the stores before a route answers: personalize a page, publish a config.
  { layer: 'requests', paths: ['render/', 'config/publish.ts'] },
  // Route modules (by name) and what serves the dashboard.
  { layer: 'routes', paths: ['consent/', 'admin/dashboard.ts'] },
  // The two Workers' entries and apps (visitor and workplace), the paths between them, the one-Worker composition
  // the tests run, and what only they read.
  { layer: 'worker', paths: ['index.ts', 'seed.ts', 'visitor.ts', 'visitor-app.ts', 'workplace.ts', 'workplace-app.ts', 'workplace-paths.ts', 'on-first-use.ts', 'workplace-handlers.ts', 'app-base.ts'] },
];

const RANK = new Map(LAYERS.map((l, i) => [l.layer, i]));
const isRouteModule = (file: string) => /(^|\/|-)routes\.ts$/.test(file);
const isStoreModule = (file: string) => /(^|\/|-)store\.ts$/.test(file);

/** The layer of a file of src/: a route or store module by its name, else the longest entry of LAYERS. */
export function layerOf(file: string): string | undefined {
  if (isRouteModule(file)) return 'routes';
  if (isStoreModule(file)) return 'stores';
  let best: { layer: string; length: number } | undefined;
  for (const { layer, paths } of LAYERS)
    for (const p of paths)
      if ((p.endsWith('/') ? file.startsWith(p) : file === p) && p.length > (best?.length ?? -1)) best = { layer, length: p.length };
  return best?.layer;
}


/** The CLI is Node code outside the Worker (its own tsconfig): it may import any pure module, nothing imports it. */
const CLI = 'cli/';

const edges = importEdges(src).filter((e) => !e.from.startsWith(CLI));
const show = (e: Edge) => `${e.from} (${layerOf(e.from)}) → ${e.to} (${layerOf(e.to)})`;

describe('layers of packages/edge/src', () => {
  it('every file has a layer in the table', () => {
    const files = sourceFiles(src).map((f) => f.slice(src.length + 1).split('\\').join('/'));
    expect(files.filter((f) => !f.startsWith(CLI) && !layerOf(f))).toEqual([]);
  });

  it('no import runs up a layer', () => {
    const up = edges.filter((e) => e.to.startsWith('../') === false && RANK.get(layerOf(e.to)!)! > RANK.get(layerOf(e.from)!)!);
    expect(up.map(show), 'imports that run up a layer (file (layer) → file (layer)): move the shared piece down').toEqual([]);
  });

  it('a route module is mounted by the Worker or by another route module, never called into', () => {
    const bad = edges.filter((e) => isRouteModule(e.to) && !(layerOf(e.from) === 'worker' || isRouteModule(e.from)));
    expect(bad.map(show), 'route modules imported by something other than the Worker or a router').toEqual([]);
  });

  it('the CLI imports no route, store or Worker module', () => {
    const cli = importEdges(src).filter((e) => e.from.startsWith(CLI) && !e.to.startsWith(CLI));
    const bad = cli.filter((e) => RANK.get(layerOf(e.to)!)! > RANK.get('stores')! || isRouteModule(e.to));
    expect(bad.map(show)).toEqual([]);
  });

  it('no file sits in a circle of imports (type-only imports count)', () => {
    expect(circles(edges).map((c) => c.join(' → ')), 'files that import each other, directly or round a circle').toEqual([]);
  });

  it('the checks can fail: an upward import, a route import and a circle are each found', () => {
    expect(layerOf('profile/apply.ts')).toBe('stores');
    expect(layerOf('recs/routes.ts')).toBe('routes');
    expect(layerOf('admin/session-routes.ts')).toBe('routes');
    expect(layerOf('config/store.ts')).toBe('stores');
    expect(layerOf('config/validate.ts')).toBe('pure');
    expect(RANK.get(layerOf('contract/events.ts')!)! < RANK.get(layerOf('log/enqueue.ts')!)!).toBe(true);
    expect(circles([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }])).toEqual([['a', 'b', 'c']]);
    expect(circles([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }])).toEqual([]);
  });

  it('ARCHITECTURE.md shows this table', () => {
    const doc = readFileSync(resolve(repo, 'ARCHITECTURE.md'), 'utf8');
    for (const { layer, paths } of LAYERS) {
      const row = new RegExp(`^\\| \`?${layer}\`? \\|(.*)$`, 'm').exec(doc);
      expect(row, `ARCHITECTURE.md has no row for the ${layer} layer`).toBeTruthy();
      for (const p of paths) expect(row![1], `the ${layer} row of ARCHITECTURE.md names ${p}`).toContain(`\`${p}\``);
    }
  });
});

describe('packages import each other by name', () => {
  it('no file under packages/*/src reaches into another package by a relative path', () => {
    const packages = resolve(repo, 'packages');
    const bad: string[] = [];
    for (const pkg of ['tracker', 'edge', 'widgets', 'dashboard']) {
      const root = resolve(packages, pkg);
      for (const e of importEdges(root, sourceFiles(resolve(root, 'src'), true)))
        if (/^\.\.\/[^./][^/]*\/src\//.test(e.to)) bad.push(`packages/${pkg}/${e.from} imports ${e.spec}`);
    }
    expect(bad, 'import these by package name (@attune/edge/contract, …), not by path').toEqual([]);
  });
});
