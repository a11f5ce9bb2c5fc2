// Where a webhook may go: https on a public host. A trigger's URL comes from the config and each redirect's
// Location from the receiver, so either could aim the Worker's signed POST at the inside — this machine, a
// private network, a cloud metadata service. Pure: the config check (config/validate.ts) and the delivery
// (webhook.ts, every hop) use this one rule.
//
// The host is judged as the WHATWG URL parser (what fetch uses) reads it, so alternative spellings of an
// address are caught by the address they mean: `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` all parse
// to 127.0.0.1, `[::ffff:127.0.0.1]` to `[::ffff:7f00:1]`.
//
// Not caught here: a public name whose DNS answer is a private address (including wildcard services such
// as nip.io). Workers have no DNS API, so no check before the request can see the address fetch connects
// to; the runtime's own network rules are what stop it (docs/triggers.md, "Where a webhook may go").

export interface UrlRule {
  /** Local development only (ATTUNE_ENV=development): http(s) to localhost, 127.0.0.0/8 or [::1], any port. */
  allowLocal?: boolean;
}

export type UrlVerdict =
  | { ok: true; url: URL; /** accepted only because `allowLocal` */ local: boolean }
  | { ok: false; reason: string };

/** Accepted for local development only, when `allowLocal` says so. */
const LOCAL_HINT = 'accepted only in local development (ATTUNE_ENV=development, or `attune validate --dev`)';

/** IPv4 ranges that are not the public internet (IANA special-purpose registry), most specific first. */
const V4_REFUSED: [base: string, bits: number, what: string][] = [
  ['169.254.169.254', 32, 'the cloud metadata address (link-local 169.254.0.0/16)'],
  ['255.255.255.255', 32, 'the broadcast address'],
  ['0.0.0.0', 8, 'the unspecified "this network" range (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private network address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'a loopback address (this machine, 127.0.0.0/8)'],
  ['169.254.0.0', 16, 'a link-local address (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'a private network address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'an IETF protocol address (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'a documentation address (192.0.2.0/24)'],
  ['192.88.99.0', 24, 'a 6to4 relay address (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'a private network address (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'a benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'a documentation address (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'a documentation address (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'a multicast address (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'a reserved address (240.0.0.0/4)'],
];

/**
 * Names that resolve on a local network or nowhere: mDNS, private-use and special-use names (RFC 6761,
 * RFC 8375, ICANN's .internal) and the common private suffixes that ICANN will never delegate.
 */
const NAME_SUFFIXES: [suffix: string, what: string][] = [
  ['localhost', 'a loopback name (this machine)'],
  ['local', 'a local-network (mDNS) name'],
  ['internal', 'a private-network name (.internal)'],
  ['home.arpa', 'a home-network name (.home.arpa)'],
  ['localdomain', 'a local-network name'],
  ['lan', 'a local-network name'],
  ['intranet', 'a private-network name'],
  ['corp', 'a private-network name'],
  ['home', 'a private-network name'],
  ['test', 'a name reserved for testing that does not resolve on the internet'],
  ['invalid', 'a name reserved to never resolve'],
  ['example', 'a name reserved for examples that does not resolve on the internet'],
];

const v4Number = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** Why an IPv4 address (dotted, as the URL parser writes it) is not public, or null when it is. */
function ipv4Problem(ip: string): string | null {
  const n = v4Number(ip);
  for (const [base, bits, what] of V4_REFUSED) {
    const size = 2 ** (32 - bits);
    if (Math.floor(n / size) === Math.floor(v4Number(base) / size)) return `${ip} is ${what}`;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address as the URL parser serializes it (hex, `::` at most once). */
function ipv6Groups(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const v4Of = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');

/** Why an IPv6 address (without brackets) is not public, or null when it is. */
function ipv6Problem(ip: string): string | null {
  const g = ipv6Groups(ip);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embedded = (v4: string, how: string) => {
    const p = ipv4Problem(v4);
    return p ? `[${ip}] is ${how} of ${p}` : null;
  };
  if (zeros(0, 8)) return `[${ip}] is the unspecified address`;
  if (zeros(0, 7) && g[7] === 1) return `[${ip}] is the loopback address (this machine)`;
  if (zeros(0, 5) && g[5] === 0xffff) return embedded(v4Of(g[6]!, g[7]!), 'an IPv4-mapped IPv6 address');
  if (zeros(0, 6)) return `[${ip}] is a deprecated IPv4-compatible address`;
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(v4Of(g[6]!, g[7]!), 'a NAT64 address');
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return `[${ip}] is a local-use NAT64 address (64:ff9b:1::/48)`;
  if (g[0] === 0x2002) return embedded(v4Of(g[1]!, g[2]!), 'a 6to4 address');
  if (g[0] === 0x2001 && g[1] === 0) return `[${ip}] is a Teredo tunnel address (2001::/32)`;
  if (g[0] === 0x2001 && g[1] === 0xdb8) return `[${ip}] is a documentation address (2001:db8::/32)`;
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return `[${ip}] is a unique-local (private) address (fc00::/7)`;
  if ((first & 0xffc0) === 0xfe80) return `[${ip}] is a link-local address (fe80::/10)`;
  if ((first & 0xff00) === 0xff00) return `[${ip}] is a multicast address (ff00::/8)`;
  if ((first & 0xe000) !== 0x2000) return `[${ip}] is not a global unicast address (2000::/3)`;
  return null;
}

/** Why a host (a URL's `hostname`) is not a public internet host, or null when it is. */
export function hostProblem(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[')) return ipv6Problem(host.slice(1, -1));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return ipv4Problem(host);
  if (host === 'metadata.google.internal') return `${host} is the cloud metadata service`;
  for (const [suffix, what] of NAME_SUFFIXES) if (host === suffix || host.endsWith(`.${suffix}`)) return `${host} is ${what}`;
  // `https://metadata/` or `https://intranet/` resolve through the local network's search domains.
  if (!host.includes('.')) return `${host} is a single-label name, resolved on the local network`;
  return null;
}

/** localhost, 127.0.0.0/8 or [::1]: this machine, where a developer's receiver under test listens. */
const isLoopback = (hostname: string) => {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
};

/** Whether a webhook (or one of its redirects) may be sent to `input`, and why not. */
export function checkWebhookUrl(input: string, rule: UrlRule = {}): UrlVerdict {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `is ${url.protocol} — a webhook goes over https` };
  // fetch refuses a URL with credentials, and they would sit in the config and the trigger log.
  if (url.username || url.password) return { ok: false, reason: 'carries a user name or password; the receiver checks the signature instead' };
  if (isLoopback(url.hostname)) return rule.allowLocal ? { ok: true, url, local: true } : { ok: false, reason: `${hostProblem(url.hostname)}: ${LOCAL_HINT}` };
  const problem = hostProblem(url.hostname);
  if (problem) return { ok: false, reason: problem };
  if (url.protocol !== 'https:') return { ok: false, reason: 'is http: — the body (visitor data) and its signature go over https only' };
  return { ok: true, url, local: false };
}
