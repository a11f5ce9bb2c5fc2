// R2 access the archive shares: listing a prefix page by page, a day's files, a site's days, deleting.
import { dayOfPrefix, dayPrefix, parseKey, sitePrefix } from './layout.js';
import type { ListedFile } from './merge.js';

/** Every object under `prefix` (R2 lists at most 1,000 a call). */
export async function listAll(bucket: R2Bucket, prefix: string, include: R2ListOptions['include'] = []): Promise<R2Object[]> {
  const out: R2Object[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await bucket.list({ prefix, include, ...(cursor ? { cursor } : {}) });
    out.push(...page.objects);
    if (!page.truncated) return out;
    cursor = page.cursor;
  }
}

/** The Parquet files of one day (anything else under the prefix is not the archive's and is left alone). */
export async function filesOfDay(bucket: R2Bucket, site: string, day: string): Promise<ListedFile[]> {
  return (await listAll(bucket, dayPrefix(site, day), ['customMetadata']))
    .filter((o) => parseKey(o.key)?.day === day)
    .map((o) => {
      const rows = Number(o.customMetadata?.rows);
      return { key: o.key, size: o.size, uploaded: o.uploaded.getTime(), ...(Number.isInteger(rows) && rows >= 0 ? { rows } : {}) };
    });
}

/** The days the archive holds for a site, sorted. */
export async function daysOfSite(bucket: R2Bucket, site: string): Promise<string[]> {
  const days = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await bucket.list({ prefix: sitePrefix(site), delimiter: '/', ...(cursor ? { cursor } : {}) });
    for (const p of page.delimitedPrefixes) {
      const d = dayOfPrefix(site, p);
      if (d) days.add(d);
    }
    if (!page.truncated) return [...days].sort();
    cursor = page.cursor;
  }
}

/** Deletes keys, 1,000 a call (R2's limit). */
export async function deleteKeys(bucket: R2Bucket, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}
