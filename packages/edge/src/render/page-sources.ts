// Where the Worker fills a page's slots and recommendation rows from: the visitor's profile and decide(),
// and the recommendation engine over the catalog. personalize() takes these as an argument so the
// rewriting does not care where decisions come from (the rewrite bench passes fixed ones, from bench/).
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { dict } from '../contract/dict.js';
import { decide } from '../decide/decide.js';
import { deviceOf } from '../experiments/bots.js';
import { visitorOf } from '../profile/visitor.js';
import { recommendationsFor } from '../recs/request.js';
import type { PageSources } from './personalize.js';

// Keys come from the URL: a null-prototype map, so `utm___proto__` is a campaign field like any other.
const campaignOf = (url: URL) => {
  const out = dict<string>();
  url.searchParams.forEach((v, k) => {
    if (k.startsWith('utm_')) out[k === 'utm_campaign' ? 'name' : k.slice(4)] = v;
  });
  return out;
};

export function liveSources(c: Context<AppEnv>, catalog: unknown): PageSources {
  return {
    async decide({ config, site, url, preview }) {
      // The cookie narrowed by the profile's stored consent (profile/visitor.ts); shared with <attune-recs> on this page.
      const { profile, anonymousId, consent } = await visitorOf(c, site);
      const userAgent = c.req.header('user-agent');
      return decide(config, {
        profile,
        consent,
        context: {
          page: { path: url.pathname, url: url.href },
          campaign: campaignOf(url),
          referrer: c.req.header('referer'),
          locale: c.req.header('accept-language')?.split(',')[0],
          device: deviceOf(userAgent),
          country: (c.req.raw as { cf?: { country?: string } }).cf?.country,
          userAgent,
        },
        bucketingId: anonymousId,
        now: Date.now(),
        preview,
        timeZone: site.timeZone,
      });
    },
    recommend: (q) => recommendationsFor(c, { catalog }, q),
  };
}
