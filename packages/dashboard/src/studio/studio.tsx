// The marketer's studio (issue 21): the live config as forms drawn from its JSON Schema, validated as it is typed,
// saved as a draft, previewed, published with a comment, and rolled back from its history.
import { useEffect, useState } from 'preact/hooks';
import './studio.css';
import { Field, type FormContext } from './form.js';
import { place, type Path } from './paths.js';
import { focusField, ProblemSummary } from './problem-summary.js';
import { AuditLog } from './audit.js';
import { PreviewPanel } from './preview.js';
import { PublishPanel } from './publish.js';
import { SchedulesPanel } from './schedules.js';
import { labelOf, resolve } from './schema.js';
import { setAt } from './edit.js';
import { atLeast } from './studio-api.js';
import { useStudio } from './use-studio.js';
import { VersionsPanel } from './versions.js';

/** The editing sections, each drawing the config keys it names; 'settings' takes every other key. */
const FORMS = { content: ['slots'], segments: ['segments'], experiments: ['experiments'], quizzes: ['quizzes'], settings: [] as string[] } as const;
const TOOLS = ['publish', 'preview', 'schedules', 'audit'] as const;
type Section = keyof typeof FORMS | (typeof TOOLS)[number];
const TITLES: Record<Section, string> = {
  content: 'Content',
  segments: 'Segments',
  experiments: 'Experiments',
  quizzes: 'Quizzes',
  settings: 'Settings',
  publish: 'Publish & versions',
  preview: 'Preview',
  schedules: 'Schedules',
  audit: 'Audit log',
};

const sectionOf = (key: unknown): Section => (Object.entries(FORMS).find(([, keys]) => (keys as readonly unknown[]).includes(key))?.[0] as Section) ?? 'settings';

const when = (iso: string) => new Date(iso).toLocaleString();

export function Studio({ onOut }: { onOut: () => void }) {
  const { studio, error, status } = useStudio();
  const [section, setSection] = useState<Section>('content');
  const [focus, setFocus] = useState<Path | null>(null);
  useEffect(() => {
    if (status === 401) onOut();
  }, [status]);
  useEffect(() => {
    if (focus) focusField(focus);
  }, [focus, section]);
  if (!studio)
    return error ? (
      <p class="error" role="alert">
        The studio could not load: {error}
      </p>
    ) : (
      <p class="muted">Loading the studio…</p>
    );

  const { session, current, schema, draft } = studio;
  const config = resolve(schema, schema).schema;
  const errors = studio.answer?.errors ?? [];
  const warnings = studio.answer?.warnings ?? [];
  const canEdit = atLeast(session.role, 'editor');
  const ctx: FormContext = {
    root: schema,
    lang: studio.lang,
    placed: place([...errors, ...warnings]),
    set: (path, value) => studio.edit(setAt(draft, path, value)),
    segmentIds: (((draft as { segments?: { id?: unknown }[] })?.segments ?? []).map((s) => s?.id).filter((x) => typeof x === 'string') as string[]),
  };
  const go = (path: Path) => {
    setSection(sectionOf(path[0]));
    setFocus([...path]);
  };
  const keysOf = (s: keyof typeof FORMS) =>
    s === 'settings' ? Object.keys(config.properties ?? {}).filter((k) => !k.startsWith('$') && !Object.values(FORMS).some((ks) => (ks as readonly string[]).includes(k))) : FORMS[s];

  return (
    <div class="studio">
      <div class="studio-status" aria-live="polite">
        <span>
          Live: version {current.version} by {current.publishedBy}, {when(current.publishedAt)}
        </span>
        <span>
          Signed in as {session.name} ({session.role})
        </span>
        {canEdit && (
          <span>
            Draft on version {studio.baseVersion}
            {studio.baseVersion !== current.version && ' (live has moved on)'}: {saveText[studio.save ?? 'none']} ·{' '}
            {studio.validateError ?? (studio.fresh ? (errors.length ? `${errors.length} errors` : 'valid') : 'checking…')}
          </span>
        )}
        {canEdit && studio.drafts.length > 0 && (
          <label>
            Open draft{' '}
            <select value={studio.draftName} onChange={(e) => studio.open(e.currentTarget.value)}>
              {!studio.drafts.some((d) => d.name === studio.draftName) && <option value={studio.draftName}>{studio.draftName} (yours)</option>}
              {studio.drafts.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name} (by {d.updatedBy}, {when(d.updatedAt)})
                </option>
              ))}
            </select>
          </label>
        )}
        {canEdit && (
          <button type="button" class="link" onClick={() => studio.discard()}>
            Discard draft
          </button>
        )}
      </div>
      <nav class="studio-nav" aria-label="Studio sections">
        {(Object.keys(TITLES) as Section[]).map((s) => (
          <button type="button" key={s} class={s === section ? 'on' : ''} aria-current={s === section ? 'page' : undefined} onClick={() => setSection(s)}>
            {TITLES[s]}
          </button>
        ))}
      </nav>
      <ProblemSummary errors={errors} warnings={warnings} go={go} />
      <section class="panel studio-main" aria-labelledby="studio-section">
        <h2 id="studio-section">{TITLES[section]}</h2>
        {section in FORMS ? (
          // A viewer reads the forms; every control is disabled for them.
          <fieldset class="plain" disabled={!canEdit}>
            {!canEdit && <p class="muted">Editing needs the editor role; you are signed in as {session.role}.</p>}
            {keysOf(section as keyof typeof FORMS).map((key) => (
              <Field key={key} ctx={ctx} path={[key]} schema={config.properties![key]!} value={(draft as Record<string, unknown>)?.[key]} label={labelOf(key, config.properties![key])} required={config.required?.includes(key)} />
            ))}
          </fieldset>
        ) : section === 'publish' ? (
          <>
            <PublishPanel studio={studio} errors={errors} />
            <VersionsPanel studio={studio} />
          </>
        ) : section === 'preview' ? (
          <PreviewPanel studio={studio} segmentIds={ctx.segmentIds} />
        ) : section === 'schedules' ? (
          <SchedulesPanel />
        ) : (
          <AuditLog role={session.role} />
        )}
      </section>
    </div>
  );
}

const saveText: Record<string, string> = { none: 'no changes', saved: 'saved', saving: 'saving…', unsaved: 'unsaved changes', failed: 'could not save' };
