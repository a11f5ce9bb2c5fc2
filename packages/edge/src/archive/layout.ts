// Where the archive keeps a site's day in R2: Hive layout, `events/site=<site>/day=<YYYY-MM-DD>/<file>.parquet`,
// which DuckDB, Spark, ClickHouse and BigQuery read as the columns `site` and `day`. Pure.
// A site id or part id is data, never structure: every byte outside [A-Za-z0-9._-] is %XX-escaped (upper-case
// hex of its UTF-8 bytes), so `/`, `=`, `%` and `..` cannot make a segment, a partition or a path of their own.
// Hive readers unescape %XX in partition values (DuckDB gives `site` back as it was).

export const ARCHIVE_ROOT = 'events/';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PLAIN = /[A-Za-z0-9._-]/;

/** Percent-escapes every character outside [A-Za-z0-9._-]. */
export function escapeSegment(value: string): string {
  let out = '';
  for (const ch of value) {
    if (PLAIN.test(ch)) out += ch;
    else for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const unescapeSegment = (value: string): string => decodeURIComponent(value);

/** Whether `day` is a real calendar day written YYYY-MM-DD. */
export function isDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

function checkSite(site: string): void {
  if (typeof site !== 'string' || !site) throw new Error(`archive: site must be a non-empty string, got ${JSON.stringify(site)}`);
}

function checkDay(day: string): void {
  if (!isDay(day)) throw new Error(`archive: day must be a calendar day YYYY-MM-DD, got ${JSON.stringify(day)}`);
}

/** The UTC day (YYYY-MM-DD) of an ISO timestamp. */
export function dayOf(timestamp: string, where = 'timestamp'): string {
  const ms = Date.parse(timestamp);
  if (!Number.isFinite(ms)) throw new Error(`archive: ${where} is not a date-time: ${JSON.stringify(timestamp)}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The UTC day `days` days before the day of `now` (ms). */
export function dayBefore(now: number, days: number): string {
  return new Date(now - days * 86_400_000).toISOString().slice(0, 10);
}

/** `events/site=<site>/`: every day of a site. */
export function sitePrefix(site: string): string {
  checkSite(site);
  return `${ARCHIVE_ROOT}site=${escapeSegment(site)}/`;
}

/** `events/site=<site>/day=<day>/`: every file of one day. */
export function dayPrefix(site: string, day: string): string {
  checkDay(day);
  return `${sitePrefix(site)}day=${day}/`;
}

/** The file one queue message writes for one day; the same part id gives the same key, so a redelivery overwrites it. */
export function partKey(site: string, day: string, partId: string): string {
  if (typeof partId !== 'string' || !partId) throw new Error(`archive: partId must be a non-empty string, got ${JSON.stringify(partId)}`);
  return `${dayPrefix(site, day)}part-${escapeSegment(partId)}.parquet`;
}

/** A compacted file, named by a digest of its rows, so a rerun after a crash writes the same key again. */
export function compactKey(site: string, day: string, digest: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(digest)) throw new Error(`archive: digest must be lower-case hex, got ${JSON.stringify(digest)}`);
  return `${dayPrefix(site, day)}compact-${digest}.parquet`;
}

export interface ParsedKey {
  site: string;
  day: string;
  file: string;
}

/** Reads a key of the layout back; null for anything else (a stray object is never taken for a partition). */
export function parseKey(key: string): ParsedKey | null {
  const m = /^events\/site=([A-Za-z0-9._%-]+)\/day=(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9._%-]+\.parquet)$/.exec(key);
  if (!m || !isDay(m[2]!)) return null;
  try {
    return { site: unescapeSegment(m[1]!), day: m[2]!, file: m[3]! };
  } catch {
    return null; // a malformed escape
  }
}

/** The day of a `day=YYYY-MM-DD/` prefix R2 lists under a site, or null. */
export function dayOfPrefix(site: string, prefix: string): string | null {
  const base = sitePrefix(site);
  if (!prefix.startsWith(base)) return null;
  const m = /^day=(\d{4}-\d{2}-\d{2})\/$/.exec(prefix.slice(base.length));
  return m && isDay(m[1]!) ? m[1]! : null;
}
