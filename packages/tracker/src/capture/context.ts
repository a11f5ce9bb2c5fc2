// What the page says about where an event happened: Segment's `context.page` and `context.campaign`.

/** `utm_*` query parameters without the prefix; Segment calls `utm_campaign` `name`. */
export function parseCampaign(search: string): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  new URLSearchParams(search).forEach((v, k) => {
    if (k.startsWith('utm_')) (out ||= {})[k == 'utm_campaign' ? 'name' : k.slice(4)] = v;
  });
  return out;
}

export const pageContext = (referrer: string) => ({
  path: location.pathname,
  url: location.href,
  referrer,
  title: document.title,
  search: location.search,
});
