// The draft beside the live site: a store page as a chosen segment sees it, rendered by the edge from signed
// preview links (POST /v1/preview with the draft), never counted.
import { useState } from 'preact/hooks';
import { studioApi } from './studio-api.js';
import type { Studio } from './use-studio.js';

/** The store's pages a preview can start from: the home page and every page the config links to. */
export function pagesOf(config: unknown): string[] {
  const found = new Set<string>(['/']);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'href' || k === 'path') && typeof x === 'string' && x.startsWith('/') && !x.startsWith('//')) found.add(x);
      else walk(x);
    }
  };
  walk(config);
  return [...found].sort();
}

export function PreviewPanel({ studio, segmentIds }: { studio: Studio; segmentIds: string[] }) {
  const [path, setPath] = useState('/');
  const [segment, setSegment] = useState(segmentIds[0] ?? '');
  const [urls, setUrls] = useState<{ draftUrl: string; liveUrl: string; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pages = pagesOf(studio.draft);
  return (
    <div class="preview">
      <form
        class="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const r = await studioApi.preview({ config: studio.draft, path, segments: segment ? [segment] : [] });
            setUrls({ draftUrl: r.draftUrl, liveUrl: r.liveUrl, label: `${path}${segment ? ` as ${segment}` : ''}` });
          } catch (err) {
            setError((err as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Page <input list="preview-pages" value={path} required pattern="/.*" onInput={(e) => setPath(e.currentTarget.value)} />
        </label>
        <datalist id="preview-pages">
          {pages.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <label>
          As segment{' '}
          <select value={segment} onChange={(e) => setSegment(e.currentTarget.value)}>
            <option value="">(no segment)</option>
            {segmentIds.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button disabled={busy}>Preview the draft</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {urls && (
        <div class="side-by-side">
          <figure>
            <figcaption>Live: {urls.label}</figcaption>
            <iframe title={`Live: ${urls.label}`} src={urls.liveUrl} />
          </figure>
          <figure>
            <figcaption>Draft: {urls.label}</figcaption>
            <iframe title={`Draft: ${urls.label}`} src={urls.draftUrl} />
          </figure>
        </div>
      )}
    </div>
  );
}
