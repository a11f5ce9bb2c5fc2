// Recommendations for one request, with the checks the API makes (site, origin, strategy, limit, item, category,
// the visitor's consent): GET /v1/recommendations answers with it and edge rendering (render/personalize.ts) fills
// <attune-recs> with it. Not a route module, so the page rewriter needs none.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { currentCatalog } from '../catalog/store.js';
import { didYouMean, oneOf } from '../config/problems.js';
import { MAX_LIMIT, resolveStrategy, strategyNames } from '../config/recs.js';
import type { RecommendationsResponse } from '../contract/catalog.js';
import type { SiteWithId } from '../contract/index.js';
import { fail } from '../http/errors.js';
import { checkOrigin, resolveSite } from '../http/site.js';
import { visitorOf } from '../profile/visitor.js';
import { recommend } from './recommend.js';
import { pairKindsOf, seedsOf } from './strategies.js';
import { loadStats } from './stats-read.js';
import { EMPTY_STATS } from './stats.js';

type C = Context<AppEnv>;

export const unknown = (what: string, value: string, known: string[]) => {
  const hint = didYouMean(value, known);
  return `unknown ${what} "${value.slice(0, 100)}"${hint ? ` — did you mean "${hint}"?` : ''}: ${oneOf(known)}`;
};

/** Which site: the write key (Basic user or `writeKey`), or the only site when there is just one. */
export function siteOf(c: C, sites: SiteWithId[], key: string | undefined) {
  if (key === undefined && !c.req.header('authorization') && sites.length === 1) return sites[0]!;
  return resolveSite(c, sites, key);
}

export interface RecsRouteOptions {
  /** The bundled catalog feed (`{products: [...]}`), or undefined when catalogs only come from imports. */
  catalog?: unknown;
}

/** What a recommendation request asks: the API's query parameters, or an <attune-recs> element's attributes. */
export type RecsQuery = Partial<Record<'strategy' | 'limit' | 'item' | 'category' | 'writeKey' | 'anonymousId' | 'userId' | 'userHash', string>>;

/** Recommendations for a request: the API's, and edge rendering's with the same checks. */
export async function recommendationsFor(c: C, opts: RecsRouteOptions, q: RecsQuery = c.req.query()): Promise<RecommendationsResponse> {
  const { config, sites } = c.var.config;
  const site = siteOf(c, sites, q.writeKey);
  checkOrigin(c, site);

  const name = q.strategy ?? 'for-you';
  const strategy = resolveStrategy(config, name);
  if (!strategy) fail(400, `strategy: ${unknown('strategy', name, strategyNames(config))}`);
  let limit: number | undefined;
  if (q.limit !== undefined) {
    limit = Number(q.limit);
    if (!/^\d+$/.test(q.limit) || limit < 1 || limit > MAX_LIMIT) fail(400, `limit: "${q.limit.slice(0, 20)}" is not a whole number from 1 to ${MAX_LIMIT}`);
  }
  const catalog = await currentCatalog(c.env.PROFILES, site.id, opts.catalog);
  if (!catalog) fail(503, `site "${site.id}" has no catalog yet: load one with \`npx attune catalog import <feed> --to <url>\``);
  if (q.item !== undefined && !catalog.byId.has(q.item)) fail(404, `item: unknown product "${q.item.slice(0, 100)}" (not in the catalog, or removed from it)`);
  const category = q.category?.toLowerCase();
  if (category !== undefined && !catalog.byCategory.has(category)) fail(400, `category: ${unknown('category', q.category!, [...catalog.categoryNames.values()])}`);

  // Personal data only with personalization consent; without it the lists come from what everyone does. A
  // userId counts only with its proof (userHash): naming someone's id reads nothing of theirs.
  const { profile } = await visitorOf(c, site, { anonymousId: q.anonymousId, userId: q.userId, userHash: q.userHash });

  const kinds = pairKindsOf([strategy.name, ...strategy.chain].flatMap((n) => resolveStrategy(config, n)?.type ?? []));
  const seeds = [...kinds].flatMap((kind) => seedsOf({ item: q.item, profile }, kind).map((item) => ({ kind, item })));
  let stats = EMPTY_STATS;
  try {
    stats = await loadStats(c.env.PROFILES, site.id, seeds); // KV only: D1 is one region away from most visitors
  } catch (e) {
    // Without statistics the strategies still answer (quiz, recently viewed, newest products): no 5xx.
    console.error('attune: recommendation statistics unavailable', e);
  }
  return recommend({ catalog, config, profile, stats, item: q.item, category, now: Date.now(), strategy: name, limit });
}
