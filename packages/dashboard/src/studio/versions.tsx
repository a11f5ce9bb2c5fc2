// The history: every published version with who, when and why; the readable diff between any two; and a
// one-click restore (a new version with the old config) for publishers.
import { useEffect, useState } from 'preact/hooks';
import { atLeast, type ConfigDiff, type ConfigVersion, studioApi } from './studio-api.js';
import type { Studio } from './use-studio.js';

const short = (v: unknown) => {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

export function DiffList({ diff }: { diff: ConfigDiff }) {
  if (!diff.changes.length) return <p class="muted">No differences between version {diff.from} and version {diff.to}.</p>;
  return (
    <table class="diff">
      <caption>
        From version {diff.from} to version {diff.to}: {diff.changes.length} {diff.changes.length === 1 ? 'change' : 'changes'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Where</th>
          <th scope="col">Change</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {diff.changes.map((c, i) => (
          <tr key={i} class={c.kind}>
            <td>
              <code>{c.path}</code>
            </td>
            <td>{c.kind}</td>
            <td>
              <code>{short(c.before)}</code>
            </td>
            <td>
              <code>{short(c.after)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function VersionsPanel({ studio }: { studio: Studio }) {
  const [versions, setVersions] = useState<ConfigVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pair, setPair] = useState<{ from?: number; to?: number }>({});
  const [diff, setDiff] = useState<ConfigDiff | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const canRestore = atLeast(studio.session.role, 'publisher');
  useEffect(() => {
    studioApi.versions().then((r) => {
      setVersions(r.versions);
      setPair({ from: r.versions[1]?.version, to: r.versions[0]?.version });
    }, (e: Error) => setError(e.message));
  }, [studio.current.version]);
  useEffect(() => {
    setDiff(null);
    if (pair.from && pair.to && pair.from !== pair.to) studioApi.diff(pair.from, pair.to).then(setDiff, (e: Error) => setError(e.message));
  }, [pair.from, pair.to]);
  const restore = async (v: ConfigVersion) => {
    setNote(null);
    try {
      const r = await studioApi.restore(v.version, `restore of version ${v.version}`, studio.current.version);
      setNote(`Version ${v.version} restored as version ${r.version}.`);
      await studio.reload(false);
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!versions) return <p class="muted">Loading versions…</p>;
  return (
    <div class="versions">
      <h3>Versions</h3>
      {note && <p role="status">{note}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">By</th>
            <th scope="col">Comment</th>
            <th scope="col">Diff from</th>
            <th scope="col">Diff to</th>
            <th scope="col">
              <span class="sr-only">Restore</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>
                {v.version}
                {v.version === studio.current.version && ' (live)'}
              </td>
              <td>{new Date(v.publishedAt).toLocaleString()}</td>
              <td>
                {v.publishedBy} ({v.role})
              </td>
              <td>
                {v.comment}
                {v.restoredFrom && <span class="muted"> (restored from version {v.restoredFrom})</span>}
              </td>
              <td>
                <input type="radio" name="diff-from" aria-label={`Diff from version ${v.version}`} checked={pair.from === v.version} onChange={() => setPair({ ...pair, from: v.version })} />
              </td>
              <td>
                <input type="radio" name="diff-to" aria-label={`Diff to version ${v.version}`} checked={pair.to === v.version} onChange={() => setPair({ ...pair, to: v.version })} />
              </td>
              <td>
                {v.version !== studio.current.version && (
                  <button type="button" disabled={!canRestore} title={canRestore ? undefined : 'Restoring needs the publisher role'} onClick={() => restore(v)}>
                    Restore version {v.version}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff && <DiffList diff={diff} />}
    </div>
  );
}
