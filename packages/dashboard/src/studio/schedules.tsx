// What is live now, what comes next and what has ended (GET /v1/config/schedule), read in the site's time zone
// and shown in the reader's local time.
import { useEffect, useState } from 'preact/hooks';
import { type Schedule, studioApi } from './studio-api.js';

const STATUSES = [
  ['live', 'Live now'],
  ['next', 'Next'],
  ['ended', 'Ended'],
  ['always', 'Always on (no schedule)'],
] as const;

/** An instant in the reader's local time, and in the site's zone when that differs. */
export function localAndSite(iso: string | undefined, timeZone: string, localZone = Intl.DateTimeFormat().resolvedOptions().timeZone): string {
  if (!iso) return '';
  const d = new Date(iso);
  const fmt = (tz: string) => d.toLocaleString(undefined, { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' });
  return tz(localZone) === tz(timeZone) ? fmt(localZone) : `${fmt(localZone)} (${fmt(timeZone)} ${timeZone})`;
}
const tz = (z: string) => (z === 'Etc/UTC' ? 'UTC' : z);

export function SchedulesPanel() {
  const [data, setData] = useState<Schedule | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    studioApi.schedule().then(setData, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!data) return <p class="muted">Loading schedules…</p>;
  return (
    <div class="schedules">
      <p class="muted">
        Site time zone {data.timeZone}; times in your local time. As of {localAndSite(data.at, data.timeZone)}.
      </p>
      {STATUSES.map(([status, title]) => {
        const items = data.items.filter((i) => i.status === status);
        return (
          <section key={status} aria-labelledby={`sched-${status}`}>
            <h3 id={`sched-${status}`}>
              {title} ({items.length})
            </h3>
            {items.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">From</th>
                    <th scope="col">Until</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={`${i.kind}:${i.slot ?? ''}:${i.id}`}>
                      <td>
                        {i.kind === 'variant' ? `Variant ${i.id} of ${i.slot}` : `Experiment ${i.id}`}
                      </td>
                      <td>{localAndSite(i.from, data.timeZone)}</td>
                      <td>{localAndSite(i.until, data.timeZone)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </div>
  );
}
