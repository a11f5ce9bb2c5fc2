// Known bots, crawlers, link previewers and automation: they see defaults in experiments and are never counted.
export const BOT = /bot\b|bot\/|crawl|spider|slurp|headless|lighthouse|pagespeed|phantom|puppeteer|playwright|selenium|webdriver|preview|facebookexternalhit|embedly|curl\/|wget\/|python-|go-http|java\/|okhttp|axios\/|node-fetch|httpclient/i;

export const isBot = (userAgent: string | undefined | null) => !userAgent || BOT.test(userAgent);

/** Device class from a User-Agent, for contextual rules. */
export function deviceOf(userAgent: string | undefined | null): 'mobile' | 'tablet' | 'desktop' | undefined {
  if (!userAgent) return undefined;
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(userAgent)) return 'tablet';
  if (/Mobi|iPhone|Android/i.test(userAgent)) return 'mobile';
  return 'desktop';
}
