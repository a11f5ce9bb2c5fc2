// The audit log (GET /v1/admin/audit): sign-ins, publishes, restores, drafts and preview links, newest first.
import { useEffect, useState } from 'preact/hooks';
import { atLeast, type AuditEntry, type Role, studioApi } from './studio-api.js';

export function AuditLog({ role }: { role: Role }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const page = (before?: number) =>
    studioApi.audit(before).then(
      (r) => {
        setEntries((e) => [...(before ? (e ?? []) : []), ...r.entries]);
        setMore(r.entries.length === 50);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    if (atLeast(role, 'publisher')) page();
  }, []);
  if (!atLeast(role, 'publisher')) return <p class="muted">The audit log is for publishers and the owner; you are signed in as {role}.</p>;
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!entries) return <p class="muted">Loading the audit log…</p>;
  return (
    <div class="audit">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>
                {e.actor}
                {e.role && ` (${e.role})`}
              </td>
              <td>{e.action}</td>
              <td>
                <code>{Object.keys(e.detail).length ? JSON.stringify(e.detail) : ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && entries.length > 0 && (
        <button type="button" onClick={() => page(entries[entries.length - 1]!.id)}>
          Older entries
        </button>
      )}
    </div>
  );
}
