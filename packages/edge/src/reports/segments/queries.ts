// The segments report's SQL (route: routes.ts): entries and exits per segment and day.
import type { Period } from '../params.js';
import { Binds, readReport, rowsOf, type Source } from '../rollups/read.js';
import { segmentDayRows } from '../rollups/rows.js';
import type { SegmentDayRow } from './shape.js';

/** Sizes need every entry and exit since the log began: closed days from the rollup, today from the events. */
export function segmentDays(db: D1Database, site: string, source: Source, period: Period): Promise<SegmentDayRow[]> {
  return readReport(db, site, source, async (plan, check) => {
    const b = new Binds(site);
    const rows = rowsOf(plan, b, 'report_segment_days', 'day, segment, entered, exited', segmentDayRows, '', period.end);
    const [r, checked] = await db.batch<SegmentDayRow>([db.prepare(rows).bind(...b.values), check]);
    return { value: r!.results, checked: checked! };
  });
}
