// Publishing the draft: a comment, If-Match with the version the draft started from, and the reasons it cannot
// happen yet shown instead of a button that does nothing. A 409 names who published meanwhile and offers reload.
import { useState } from 'preact/hooks';
import type { Problem } from './paths.js';
import { atLeast, type PublishConflict, StudioError } from './studio-api.js';
import { studioApi } from './studio-api.js';
import type { Studio } from './use-studio.js';

/** Why Publish is disabled, in the order a marketer would fix them; empty when it may be pressed. */
export function publishBlockers(studio: Pick<Studio, 'session' | 'fresh' | 'answer' | 'validateError' | 'draft' | 'current' | 'baseVersion'>, errors: Problem[]): string[] {
  const out: string[] = [];
  if (studio.baseVersion === studio.current.version && JSON.stringify(studio.draft) === JSON.stringify(studio.current.config))
    return ['Nothing to publish: the draft is the live config.'];
  if (!atLeast(studio.session.role, 'publisher')) out.push(`Publishing needs the publisher role; you are signed in as ${studio.session.role}. Your draft is saved for a publisher to review.`);
  if (errors.length) out.push(`${errors.length === 1 ? 'One error stands' : `${errors.length} errors stand`}: fix ${errors.length === 1 ? 'it' : 'them'} first (listed above).`);
  else if (studio.validateError) out.push(studio.validateError);
  else if (!studio.fresh || !studio.answer) out.push('The draft is being checked…');
  return out;
}

export function PublishPanel({ studio, errors }: { studio: Studio; errors: Problem[] }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok?: string; error?: string; conflict?: PublishConflict['current'] } | null>(null);
  const blockers = publishBlockers(studio, errors);
  const publish = async () => {
    setBusy(true);
    setResult(null);
    try {
      const r = await studioApi.publish(studio.draft, studio.baseVersion, comment.trim());
      setComment('');
      setResult({ ok: `Published as version ${r.version}.${r.warnings.length ? ` ${r.warnings.length} warnings.` : ''}` });
      await studio.published();
    } catch (e) {
      const conflict = e instanceof StudioError && e.status === 409 ? (e.body as PublishConflict | null)?.current : undefined;
      setResult({ error: (e as Error).message, ...(conflict && { conflict }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="publish">
      <h3>Publish</h3>
      <div class="field">
        <label for="publish-comment">Comment (what changed and why)</label>
        <textarea id="publish-comment" rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      <button type="button" class="primary" disabled={busy || blockers.length > 0} aria-describedby={blockers.length ? 'publish-blockers' : undefined} onClick={publish}>
        Publish over version {studio.baseVersion}
      </button>
      {blockers.length > 0 && (
        <ul id="publish-blockers" class="muted">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      {result?.ok && (
        <p class="ok" role="status">
          {result.ok}
        </p>
      )}
      {result?.error && (
        <div class="error" role="alert">
          <p>{result.error}</p>
          {result.conflict && (
            <p>
              <button type="button" onClick={() => studio.reload(false).then(() => setResult(null))}>
                Load version {result.conflict.version} (drops this draft)
              </button>{' '}
              <button type="button" onClick={() => studio.reload(true).then(() => setResult(null))}>
                Keep my draft on top of version {result.conflict.version}
              </button>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
