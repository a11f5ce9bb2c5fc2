// Segment sizes over time from the entries and exits the profile writer logs. Pure.
// Current members = entries minus exits: the writer logs an entry only when a profile was not in the
// segment and an exit only when it was, so per profile they alternate and the running sum is the size.

export type SegmentDayRow = { segment: string; day: string; entered: number; exited: number };

export type SegmentReport = {
  segment: string;
  /** members at the end of the period */
  size: number;
  /** members when the period began */
  sizeAtStart: number;
  change: number;
  entered: number;
  exited: number;
  /** members at the end of each day of the period */
  series: { day: string; size: number }[];
};

/**
 * @param rows entries and exits per segment and day, from the log's beginning up to the period's end
 * @param days the days of the period, in order
 * @param segments the segments to report, in order (the config's, then any others the log names)
 */
export function segmentSizes(rows: SegmentDayRow[], days: string[], segments: string[]): SegmentReport[] {
  const first = days[0] ?? '';
  return segments.map((segment) => {
    const mine = rows.filter((r) => r.segment === segment);
    const sizeAtStart = mine.filter((r) => r.day < first).reduce((s, r) => s + r.entered - r.exited, 0);
    const byDay = new Map(mine.filter((r) => r.day >= first).map((r) => [r.day, r]));
    let size = sizeAtStart;
    let entered = 0;
    let exited = 0;
    const series = days.map((day) => {
      const r = byDay.get(day);
      if (r) {
        size += r.entered - r.exited;
        entered += r.entered;
        exited += r.exited;
      }
      return { day, size };
    });
    return { segment, size, sizeAtStart, change: size - sizeAtStart, entered, exited, series };
  });
}
