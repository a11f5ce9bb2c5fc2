// What the page says about where an event happened: Segment's `context.page` and `context.campaign`.

/** `utm_*` query parameters without the prefix; Segment calls `utm_campaign` `name`. */
export function parseCampaign(search: string): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  new URLSearchParams(search).forEach((v, k) => {
    const m = /^utm_(\w+)$/.exec(k);
    if (m) (out ??= {})[m[1] === 'campaign' ? 'name' : m[1]!] = v;
  });
  return out;
}

export function pageContext(referrer = document.referrer) {
  const l = location;
  return { path: l.pathname, url: l.href, referrer, title: document.title, search: l.search };
}
