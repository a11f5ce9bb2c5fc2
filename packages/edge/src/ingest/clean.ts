// Data cleaning at the door. Pure. Two kinds of findings:
// - problems that make an event unusable as sent (nesting past the limit) reject it, naming the path, so the
//   sender learns what was wrong;
// - fixable things (long strings, emails, phone numbers, names) are fixed and *flagged*, and the flags are
//   kept on the profile for the reports: nothing is dropped silently.
// Keys are data: `__proto__`, `constructor` and the like are kept as ordinary own keys of the copies. The copies
// are plain objects built with Object.fromEntries (which defines keys, never calls the `__proto__` setter), not
// null-prototype ones, because the event crosses to its profile writer by RPC, and workerd refuses to serialize
// an object without a prototype. Nothing looks event maps up by an outside name; the profile's maps, which are
// looked up so, are null-prototype (contract/dict.ts, profile/revive.ts).

import type { Flag } from '../contract/profile.js';
import { cleanEmail } from '../hash/email-key.js';

// Both live below ingest, where the profile's writer and the CLI import them too; named here as well for the
// cleaning code and its callers.
export type { Flag };
export { cleanEmail };

export const CLEAN_LIMITS = { depth: 8, stringChars: 4096 } as const;

export type Problem = { path: string; message: string };

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/**
 * Copies a JSON value into fresh objects, every key kept as an own key, truncating long strings (flagged).
 * Returns a problem for nesting deeper than the limit.
 */
export function sanitize(value: unknown, flags: Flag[], path = '', depth = 0): { value: unknown } | { problem: Problem } {
  if (typeof value === 'string') {
    if (value.length <= CLEAN_LIMITS.stringChars) return { value };
    flags.push({ path, issue: `truncated to ${CLEAN_LIMITS.stringChars} characters` });
    return { value: value.slice(0, CLEAN_LIMITS.stringChars) };
  }
  if (value === null || typeof value !== 'object') return { value };
  if (depth >= CLEAN_LIMITS.depth) return { problem: { path, message: `nested deeper than ${CLEAN_LIMITS.depth} levels` } };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = sanitize(value[i], flags, join(path, i), depth + 1);
      if ('problem' in r) return r;
      out.push(r.value);
    }
    return { value: out };
  }
  const out: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    const r = sanitize((value as Record<string, unknown>)[key], flags, join(path, key), depth + 1);
    if ('problem' in r) return r;
    out.push([key, r.value]);
  }
  return { value: Object.fromEntries(out) };
}

// ── traits ────────────────────────────────────────────────────────────────────────────────────────

/** Country calling codes for the countries whose national format we can turn into E.164. */
const CALLING: Record<string, string> = {
  US: '1', CA: '1', GB: '44', IE: '353', DE: '49', AT: '43', CH: '41', FR: '33', BE: '32', NL: '31', LU: '352',
  ES: '34', PT: '351', IT: '39', DK: '45', SE: '46', NO: '47', FI: '358', PL: '48', CZ: '420', AU: '61', NZ: '64',
  JP: '81', IN: '91', BR: '55', MX: '52', ZA: '27', SG: '65',
};

/** The country to read a national phone number in: an address country, a country trait, or the locale's region. */
export function countryOf(traits: Record<string, unknown>, locale?: string): string | undefined {
  const address = traits.address && typeof traits.address === 'object' ? (traits.address as Record<string, unknown>) : {};
  for (const c of [address.country, traits.country]) if (typeof c === 'string' && /^[a-z]{2}$/i.test(c.trim())) return c.trim().toUpperCase();
  const region = locale && /^[a-z]{2,3}[-_]([a-z]{2})\b/i.exec(locale)?.[1];
  return region ? region.toUpperCase() : undefined;
}

/** E.164 (`+<country><number>`, 8–15 digits) or null when the number cannot be placed. */
export function toE164(raw: string, country?: string): string | null {
  const s = raw.trim();
  if (/[^\d\s()+./-]/.test(s.replace(/(ext\.?|x)\s*\d+$/i, ''))) return null;
  let digits = s.replace(/(ext\.?|x)\s*\d+$/i, '').replace(/\D/g, '');
  if (s.startsWith('+')) return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
  if (digits.startsWith('00')) return /^00[1-9]\d{7,14}$/.test(digits) ? `+${digits.slice(2)}` : null;
  const cc = country && CALLING[country];
  if (!cc) return null;
  if (cc === '1') {
    if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
    return /^[2-9]\d{9}$/.test(digits) ? `+1${digits}` : null;
  }
  if (country !== 'IT') digits = digits.replace(/^0/, ''); // trunk prefix; Italy keeps its leading 0
  const full = cc + digits;
  return digits.length >= 6 && /^\d{8,15}$/.test(full) ? `+${full}` : null;
}

/** Capitalizes a name that is all one case ("ADA LOVELACE", "jean-luc o'brien"); mixed case is the person's own. */
export function capitalizeName(raw: string): string {
  const v = raw.trim().replace(/\s+/g, ' ');
  if (v !== v.toLowerCase() && v !== v.toUpperCase()) return v;
  return v.toLowerCase().replace(/(^|[\s\-'’])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

const NAME_KEYS = ['firstName', 'lastName', 'name', 'first_name', 'last_name'];
const PHONE_KEYS = ['phone', 'mobile', 'phoneNumber', 'phone_number'];

/** Cleans traits in place (a fresh copy from `sanitize`), flagging what it could not fix. */
export function cleanTraits(traits: Record<string, unknown>, base: string, flags: Flag[], locale?: string): void {
  if (typeof traits.email === 'string') {
    const { value, valid } = cleanEmail(traits.email);
    traits.email = value;
    if (!valid) flags.push({ path: `${base}.email`, issue: 'invalid email' });
  }
  const country = countryOf(traits, locale);
  for (const k of PHONE_KEYS) {
    const v = traits[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const e164 = toE164(String(v), country);
    if (e164) traits[k] = e164;
    else flags.push({ path: `${base}.${k}`, issue: country ? 'phone not normalizable' : 'phone without country' });
  }
  for (const k of NAME_KEYS) if (typeof traits[k] === 'string') traits[k] = capitalizeName(traits[k] as string);
}
